// MultiWA account form (docs/venue-accounts.md): a self-hosted WhatsApp gateway, so its URL has no
// default; an API key or an e-mail login; and which realtime transport to use.
import type { VenueDescriptor } from '../descriptor';

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
      discoverable: true,
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
  supported: true,
};
