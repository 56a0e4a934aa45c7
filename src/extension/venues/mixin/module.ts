// Mixin's bundle (dist/venues/mixin.js): builds the adapter of one bot account from its saved form.
import { requiredCredential } from '../descriptor';
import { VenueError } from '../venue';
import type { VenueModule } from '../venueModule';
import { MixinAdapter } from './adapter';
import { MIXIN_DEFAULT_ENDPOINTS } from './descriptor';
import { parseMixinKeystore } from './keystore';
import * as l10n from '@vscode/l10n';

export const venueModule: VenueModule = {
  venue: 'mixin',
  createAdapter: (ctx) => {
    const parsed = parseMixinKeystore(requiredCredential(ctx.credentials, 'keystore'));
    if (!parsed.ok) throw new VenueError('auth', l10n.t('the stored keystore cannot be read: {0}', parsed.problem));
    return new MixinAdapter({
      accountId: ctx.accountId,
      keystore: parsed.keystore,
      endpoints: { rest: ctx.endpoints.rest ?? MIXIN_DEFAULT_ENDPOINTS.rest, blaze: ctx.endpoints.blaze ?? MIXIN_DEFAULT_ENDPOINTS.blaze },
      state: ctx.state,
      ...(ctx.clock ? { clock: ctx.clock } : {}),
      ...(ctx.logger ? { logger: ctx.logger } : {}),
    });
  },
};
