// Mixin Messenger bot account form (docs/venue-accounts.md): the bot's keystore JSON, picked from
// the file the developer dashboard gave or pasted; the API and Blaze hosts.
import type { VenueDescriptor } from '../descriptor';
import { checkMixinKeystore, mixinKeystoreSecrets } from './keystore';

export const MIXIN_DEFAULT_ENDPOINTS = { rest: 'https://api.mixin.one', blaze: 'wss://blaze.mixin.one' } as const;

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
  endpointPresets: [{ id: 'production', label: 'Production', endpoints: MIXIN_DEFAULT_ENDPOINTS }],
  settings: [],
  supported: true,
};
