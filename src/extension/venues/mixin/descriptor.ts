// Mixin Messenger bot account form (docs/venue-accounts.md): the bot's keystore JSON, picked from
// the file the developer dashboard gave or pasted; the API and Blaze hosts.
import type { VenueDescriptor } from '../descriptor';
import { checkMixinKeystore, mixinKeystoreSecrets } from './keystore';
import * as l10n from '@vscode/l10n';

export const MIXIN_DEFAULT_ENDPOINTS = { rest: 'https://api.mixin.one', blaze: 'wss://blaze.mixin.one' } as const;

export const MIXIN_DESCRIPTOR: VenueDescriptor = {
  id: 'mixin',
  name: 'Mixin Messenger bot',
  credentialFields: [
    {
      key: 'keystore',
      label: l10n.t('Bot keystore'),
      kind: 'keystore',
      secret: true,
      hint: l10n.t('The keystore JSON from the Mixin developer dashboard (app_id, session_id, session_private_key, server_public_key).'),
      validate: checkMixinKeystore,
      secretParts: mixinKeystoreSecrets,
    },
  ],
  endpoints: [
    { key: 'rest', label: l10n.t('API base URL') },
    { key: 'blaze', label: l10n.t('Blaze WebSocket URL') },
  ],
  endpointPresets: [{ id: 'production', label: l10n.t('Production'), endpoints: MIXIN_DEFAULT_ENDPOINTS }],
  settings: [],
  supported: true,
};
