// Binance C2C account form (docs/venue-accounts.md): an HMAC API key with the C2C permission;
// REST on the SAPI gateway. The chat WebSocket URL comes from the chat-credential call, so it is
// not an endpoint the user sets.
import { requiredCredential, type VenueDescriptor } from '../descriptor';
import { checkKeyPairDistinct, hmacKeyPairFields } from '../keyShape';
import { BINANCE_DEFAULT_ENDPOINTS, BinanceAdapter } from './adapter';

export const BINANCE_DESCRIPTOR: VenueDescriptor = {
  id: 'binance',
  name: 'Binance C2C',
  credentialFields: hmacKeyPairFields({ label: 'API key', hint: 'An API key with the C2C (P2P) permission enabled.' }),
  endpoints: [{ key: 'rest', label: 'REST base URL' }],
  endpointPresets: [{ id: 'production', label: 'Production', endpoints: BINANCE_DEFAULT_ENDPOINTS }],
  settings: [],
  checkCredentials: checkKeyPairDistinct,
  // `redactor` gets each listenKey and single-use token the moment the venue issues it.
  create: (ctx) =>
    new BinanceAdapter({
      accountId: ctx.accountId,
      credentials: { apiKey: requiredCredential(ctx.credentials, 'apiKey'), secretKey: requiredCredential(ctx.credentials, 'secretKey') },
      endpoints: { rest: ctx.endpoints.rest ?? BINANCE_DEFAULT_ENDPOINTS.rest },
      heartbeatMs: ctx.options.heartbeatMs,
      clock: ctx.clock,
      logger: ctx.logger,
      redactor: ctx.redactor,
    }),
};
