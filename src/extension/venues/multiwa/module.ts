// MultiWA's bundle (dist/venues/multiwa.js): builds the adapter of one account from its saved form,
// and lists the gateway's WhatsApp profiles for the `profileId` setting.
import { systemClock } from '../../core/clock';
import { requiredCredential, type AdapterContext } from '../descriptor';
import { VenueError } from '../venue';
import type { VenueModule } from '../venueModule';
import { MultiwaAdapter } from './adapter';
import { MultiwaRestClient } from './api';
import { apiKeyAuth, LoginAuth, type MultiwaAuth } from './auth';
import { transportModeOf } from './realtime';
import * as l10n from '@vscode/l10n';

export const venueModule: VenueModule = {
  venue: 'multiwa',
  createAdapter: (ctx) => {
    const profileId = typeof ctx.settings.profileId === 'string' ? ctx.settings.profileId : '';
    if (!profileId) throw new VenueError('auth', l10n.t('no WhatsApp profile chosen for this account: pick one in Account Settings'));
    return new MultiwaAdapter({
      accountId: ctx.accountId,
      baseUrl: baseUrlOf(ctx),
      auth: authOf(ctx),
      profileId,
      transport: transportModeOf(ctx.settings.transport),
      ...(ctx.mediaDir ? { mediaDir: ctx.mediaDir } : {}),
      ...(ctx.clock ? { clock: ctx.clock } : {}),
      ...(ctx.logger ? { logger: ctx.logger } : {}),
    });
  },
  discoverSetting: async (key, ctx) => {
    if (key !== 'profileId') throw new Error(`MultiWA lists no values for the setting "${key}"`);
    const rest = new MultiwaRestClient({ baseUrl: baseUrlOf(ctx), auth: authOf(ctx), ...(ctx.clock ? { clock: ctx.clock } : {}) });
    try {
      const profiles = await rest.profiles();
      return profiles.map((p) => ({ value: p.id, label: p.displayName ?? p.name ?? p.id, description: [p.phoneNumber ?? p.phone, p.status].filter(Boolean).join(' · ') }));
    } finally {
      rest.dispose();
    }
  },
};

function baseUrlOf(ctx: AdapterContext): string {
  const url = ctx.endpoints.baseUrl;
  if (!url) throw new VenueError('auth', l10n.t('the gateway URL is missing'));
  return url;
}

/** A login's tokens are derived secrets: the redactor learns each one as it arrives. */
function authOf(ctx: AdapterContext): MultiwaAuth {
  if (ctx.credentials.authMethod === 'login') {
    return new LoginAuth(requiredCredential(ctx.credentials, 'email'), requiredCredential(ctx.credentials, 'password'), ctx.clock ?? systemClock, ctx.redactor);
  }
  return apiKeyAuth(requiredCredential(ctx.credentials, 'apiKey'));
}
