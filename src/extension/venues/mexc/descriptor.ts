// MEXC P2P account form (docs/venue-accounts.md): an HMAC API key with the "P2P Deal Order"
// permission; REST and the chat WebSocket are the two endpoints.
import { requiredCredential, type VenueDescriptor } from '../descriptor';
import { checkKeyPairDistinct, hmacKeyPairFields } from '../keyShape';
import { MEXC_DEFAULT_ENDPOINTS, MexcAdapter, type MexcAdapterOptions } from './adapter';

/** MEXC access keys start with `mx0`; the secret is hex. A pair the other way round was pasted swapped. */
function checkMexcPair(values: Readonly<Record<string, string>>): string | undefined {
  const { apiKey = '', secretKey = '' } = values;
  if (/^mx0/i.test(secretKey) && !/^mx0/i.test(apiKey)) return 'the API key and the secret key look swapped (the access key starts with "mx0")';
  return checkKeyPairDistinct(values);
}

export const MEXC_DESCRIPTOR: VenueDescriptor = {
  id: 'mexc',
  name: 'MEXC P2P',
  credentialFields: hmacKeyPairFields({ label: 'API key (access key)', hint: 'A key with the "P2P Deal Order" permission.' }),
  endpoints: [
    { key: 'rest', label: 'REST base URL' },
    { key: 'ws', label: 'Chat WebSocket URL' },
  ],
  endpointPresets: [{ id: 'production', label: 'Production', endpoints: MEXC_DEFAULT_ENDPOINTS }],
  settings: [],
  checkCredentials: checkMexcPair,
  create: (ctx) => {
    // `redactor` is where the adapter registers each listen key it creates (they ride in WS URLs).
    const options: MexcAdapterOptions = {
      accountId: ctx.accountId,
      credentials: { apiKey: requiredCredential(ctx.credentials, 'apiKey'), secretKey: requiredCredential(ctx.credentials, 'secretKey') },
      endpoints: { rest: ctx.endpoints.rest ?? MEXC_DEFAULT_ENDPOINTS.rest, ws: ctx.endpoints.ws ?? MEXC_DEFAULT_ENDPOINTS.ws },
      timezoneOffsetMinutes: ctx.options.timezoneOffsetMinutes,
      heartbeatMs: ctx.options.heartbeatMs,
      clock: ctx.clock,
      logger: ctx.logger,
      redactor: ctx.redactor,
    };
    return new MexcAdapter(options);
  },
};
