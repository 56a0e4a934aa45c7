// Mixin Messenger bot account form (docs/venue-accounts.md): the bot's keystore JSON, picked from
// the file the developer dashboard gave or pasted; the API and Blaze hosts.
import { requiredCredential, type VenueDescriptor } from '../descriptor';
import { VenueError } from '../venue';
import { MixinAdapter } from './adapter';
import { checkMixinKeystore, mixinKeystoreSecrets, parseMixinKeystore } from './keystore';

export const MIXIN_DESCRIPTOR: VenueDescriptor = {
  id: 'mixin',
  name: 'Mixin Messenger bot',
  credentialFields: [
    {
      key: 'keystore',
      label: 'Bot keystore',
      kind: 'keystore',
      secret: true,
      hint: 'The keystore JSON from the Mixin developer dashboard (app_id, session_id, session_private_key, server_public_key).',
      validate: checkMixinKeystore,
      secretParts: mixinKeystoreSecrets,
    },
  ],
  endpoints: [
    { key: 'rest', label: 'API base URL' },
    { key: 'blaze', label: 'Blaze WebSocket URL' },
  ],
  endpointPresets: [{ id: 'production', label: 'Production', endpoints: { rest: 'https://api.mixin.one', blaze: 'wss://blaze.mixin.one' } }],
  settings: [],
  create: (ctx) => {
    const parsed = parseMixinKeystore(requiredCredential(ctx.credentials, 'keystore'));
    if (!parsed.ok) throw new VenueError('auth', `the stored keystore cannot be read: ${parsed.problem}`);
    return new MixinAdapter({
      accountId: ctx.accountId,
      keystore: parsed.keystore,
      endpoints: { rest: ctx.endpoints.rest ?? 'https://api.mixin.one', blaze: ctx.endpoints.blaze ?? 'wss://blaze.mixin.one' },
      state: ctx.state,
      ...(ctx.clock ? { clock: ctx.clock } : {}),
      ...(ctx.logger ? { logger: ctx.logger } : {}),
    });
  },
};
