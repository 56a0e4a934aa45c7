// Binance C2C account form (docs/venue-accounts.md): an HMAC API key with the C2C permission;
// REST on the SAPI gateway. The chat WebSocket URL comes from the chat-credential call, so it is
// not an endpoint the user sets.
import type { VenueDescriptor } from '../descriptor';
import { checkKeyPairDistinct, hmacKeyPairFields } from '../keyShape';
import * as l10n from '@vscode/l10n';

export const BINANCE_DEFAULT_ENDPOINTS = { rest: 'https://api.binance.com' } as const;

export const BINANCE_DESCRIPTOR: VenueDescriptor = {
  id: 'binance',
  name: 'Binance C2C',
  credentialFields: hmacKeyPairFields({ label: l10n.t('API key'), hint: l10n.t('An API key with the C2C (P2P) permission enabled.') }),
  endpoints: [{ key: 'rest', label: l10n.t('REST base URL') }],
  endpointPresets: [{ id: 'production', label: l10n.t('Production'), endpoints: BINANCE_DEFAULT_ENDPOINTS }],
  settings: [],
  checkCredentials: checkKeyPairDistinct,
  supported: true,
};
