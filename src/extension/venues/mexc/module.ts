// MEXC's bundle (dist/venues/mexc.js): builds the adapter of one account from its saved form.
import { requiredCredential } from '../descriptor';
import type { VenueModule } from '../venueModule';
import { MexcAdapter } from './adapter';
import { MEXC_DEFAULT_ENDPOINTS } from './descriptor';

export const venueModule: VenueModule = {
  venue: 'mexc',
  createAdapter: (ctx) =>
    // `redactor` is where the adapter registers each listen key it creates (they ride in WS URLs).
    new MexcAdapter({
      accountId: ctx.accountId,
      credentials: { apiKey: requiredCredential(ctx.credentials, 'apiKey'), secretKey: requiredCredential(ctx.credentials, 'secretKey') },
      endpoints: { rest: ctx.endpoints.rest ?? MEXC_DEFAULT_ENDPOINTS.rest, ws: ctx.endpoints.ws ?? MEXC_DEFAULT_ENDPOINTS.ws },
      timezoneOffsetMinutes: ctx.liveOptions?.timezoneOffsetMinutes ?? ctx.options.timezoneOffsetMinutes,
      heartbeatMs: ctx.options.heartbeatMs,
      sendReplyTimeoutMs: ctx.options.sendReplyTimeoutMs,
      clock: ctx.clock,
      logger: ctx.logger,
      redactor: ctx.redactor,
    }),
};
