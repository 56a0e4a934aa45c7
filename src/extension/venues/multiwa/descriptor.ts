// MultiWA account form (docs/venue-accounts.md): a self-hosted WhatsApp gateway, so its URL has no
// default; an API key or an e-mail login; and which realtime transport to use.
import { requiredCredential, type AdapterContext, type VenueDescriptor } from '../descriptor';
import { systemClock } from '../../core/clock';
import { VenueError } from '../venue';
import { MultiwaAdapter } from './adapter';
import { MultiwaRestClient } from './api';
import { apiKeyAuth, LoginAuth, type MultiwaAuth } from './auth';
import { transportModeOf } from './realtime';

export const MULTIWA_DESCRIPTOR: VenueDescriptor = {
  id: 'multiwa',
  name: 'MultiWA (WhatsApp gateway)',
  credentialFields: [
    {
      key: 'authMethod',
      label: 'Sign in with',
      kind: 'choice',
      secret: false,
      options: [
        { value: 'apiKey', label: 'API key', description: 'a key created in the MultiWA dashboard' },
        { value: 'login', label: 'E-mail and password', description: 'the gateway issues and refreshes tokens' },
      ],
    },
    { key: 'apiKey', label: 'API key', kind: 'secret', secret: true, showWhen: { field: 'authMethod', is: ['apiKey'] } },
    {
      key: 'email',
      label: 'E-mail',
      kind: 'text',
      secret: false,
      showWhen: { field: 'authMethod', is: ['login'] },
      validate: (v) => (/^[^\s@]+@[^\s@]+$/.test(v) ? undefined : 'not an e-mail address'),
    },
    { key: 'password', label: 'Password', kind: 'secret', secret: true, showWhen: { field: 'authMethod', is: ['login'] } },
  ],
  endpoints: [
    {
      key: 'baseUrl',
      label: 'Gateway URL',
      required: true,
      hint: 'where your MultiWA API listens, e.g. http://192.168.1.20:3000 (not the dashboard port)',
    },
  ],
  endpointPresets: [],
  settings: [
    {
      key: 'profileId',
      label: 'WhatsApp profile',
      kind: 'text',
      default: '',
      description: 'which of the gateway\'s WhatsApp profiles (numbers) this account reads and sends with',
      validate: (v) => (/^[\w.:-]{1,100}$/.test(v) ? undefined : 'not a profile id'),
      discover: async (ctx) => {
        const rest = new MultiwaRestClient({ baseUrl: baseUrlOf(ctx), auth: authOf(ctx), ...(ctx.clock ? { clock: ctx.clock } : {}) });
        try {
          const profiles = await rest.profiles();
          return profiles.map((p) => ({ value: p.id, label: p.displayName ?? p.name ?? p.id, description: [p.phoneNumber ?? p.phone, p.status].filter(Boolean).join(' · ') }));
        } finally {
          rest.dispose();
        }
      },
    },
    {
      key: 'transport',
      label: 'Realtime transport',
      kind: 'choice',
      default: 'auto',
      options: [
        { value: 'auto', label: 'Automatic', description: 'Socket.IO first, then the plain WebSocket' },
        { value: 'socketio', label: 'Socket.IO' },
        { value: 'websocket', label: 'Plain WebSocket' },
      ],
    },
  ],
  create: (ctx) => {
    const profileId = typeof ctx.settings.profileId === 'string' ? ctx.settings.profileId : '';
    if (!profileId) throw new VenueError('auth', 'no WhatsApp profile chosen for this account: pick one in Account Settings');
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
};

function baseUrlOf(ctx: AdapterContext): string {
  const url = ctx.endpoints.baseUrl;
  if (!url) throw new VenueError('auth', 'the gateway URL is missing');
  return url;
}

/** A login's tokens are derived secrets: the redactor learns each one as it arrives. */
function authOf(ctx: AdapterContext): MultiwaAuth {
  if (ctx.credentials.authMethod === 'login') {
    return new LoginAuth(requiredCredential(ctx.credentials, 'email'), requiredCredential(ctx.credentials, 'password'), ctx.clock ?? systemClock, ctx.redactor);
  }
  return apiKeyAuth(requiredCredential(ctx.credentials, 'apiKey'));
}
