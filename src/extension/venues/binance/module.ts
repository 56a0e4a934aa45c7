// Binance's bundle (dist/venues/binance.js): builds the adapter of one account from its saved form.
import { requiredCredential } from '../descriptor';
import type { VenueModule } from '../venueModule';
import { BinanceAdapter } from './adapter';
import { BINANCE_DEFAULT_ENDPOINTS } from './descriptor';

export const venueModule: VenueModule = {
  venue: 'binance',
  // `redactor` gets each listenKey and single-use token the moment the venue issues it.
  createAdapter: (ctx) =>
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
