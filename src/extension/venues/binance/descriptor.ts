// Binance C2C account form (docs/venue-accounts.md): an HMAC API key with the C2C permission;
// REST on the SAPI gateway. The chat WebSocket URL comes from the chat-credential call, so it is
// not an endpoint the user sets.
import type { VenueDescriptor } from '../descriptor';
import { checkKeyPairDistinct, hmacKeyPairFields } from '../keyShape';

export const BINANCE_DEFAULT_ENDPOINTS = { rest: 'https://api.binance.com' } as const;

export const BINANCE_DESCRIPTOR: VenueDescriptor = {
  id: 'binance',
  name: 'Binance C2C',
  credentialFields: hmacKeyPairFields({ label: 'API key', hint: 'An API key with the C2C (P2P) permission enabled.' }),
  endpoints: [{ key: 'rest', label: 'REST base URL' }],
  endpointPresets: [{ id: 'production', label: 'Production', endpoints: BINANCE_DEFAULT_ENDPOINTS }],
  settings: [],
  checkCredentials: checkKeyPairDistinct,
  supported: true,
};
