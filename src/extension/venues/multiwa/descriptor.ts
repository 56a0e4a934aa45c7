// MultiWA account form (docs/venue-accounts.md): a self-hosted WhatsApp gateway, so its URL has no
// default; an API key or an e-mail login; and which realtime transport to use.
import type { VenueDescriptor } from '../descriptor';
import * as l10n from '@vscode/l10n';

export const MULTIWA_DESCRIPTOR: VenueDescriptor = {
  id: 'multiwa',
  name: 'MultiWA (WhatsApp gateway)',
  credentialFields: [
    {
      key: 'authMethod',
      label: l10n.t('Sign in with'),
      kind: 'choice',
      secret: false,
      options: [
        { value: 'apiKey', label: l10n.t('API key'), description: l10n.t('a key created in the MultiWA dashboard') },
        { value: 'login', label: l10n.t('E-mail and password'), description: l10n.t('the gateway issues and refreshes tokens') },
      ],
    },
    { key: 'apiKey', label: l10n.t('API key'), kind: 'secret', secret: true, showWhen: { field: 'authMethod', is: ['apiKey'] } },
    {
      key: 'email',
      label: l10n.t('E-mail'),
      kind: 'text',
      secret: false,
      showWhen: { field: 'authMethod', is: ['login'] },
      validate: (v) => (/^[^\s@]+@[^\s@]+$/.test(v) ? undefined : l10n.t('not an e-mail address')),
    },
    { key: 'password', label: l10n.t('Password'), kind: 'secret', secret: true, showWhen: { field: 'authMethod', is: ['login'] } },
  ],
  endpoints: [
    {
      key: 'baseUrl',
      label: l10n.t('Gateway URL'),
      required: true,
      hint: l10n.t('where your MultiWA API listens, e.g. http://192.168.1.20:3000 (not the dashboard port)'),
    },
  ],
  endpointPresets: [],
  settings: [
    {
      key: 'profileId',
      label: l10n.t('WhatsApp profile'),
      kind: 'text',
      default: '',
      description: l10n.t('which of the gateway\'s WhatsApp profiles (numbers) this account reads and sends with'),
      validate: (v) => (/^[\w.:-]{1,100}$/.test(v) ? undefined : l10n.t('not a profile id')),
      discoverable: true,
    },
    {
      key: 'transport',
      label: l10n.t('Realtime transport'),
      kind: 'choice',
      default: 'auto',
      options: [
        { value: 'auto', label: l10n.t('Automatic'), description: l10n.t('Socket.IO first, then the plain WebSocket') },
        { value: 'socketio', label: 'Socket.IO' /* l10n-exempt: a protocol name */ },
        { value: 'websocket', label: l10n.t('Plain WebSocket') },
      ],
    },
  ],
  supported: true,
};
