// The five venues as the host sees them: each one's account form and, once its adapter exists, how
// to build it. The types are in descriptor.ts, the form checks in accountInput.ts.
import type { VenueId } from '../../shared/model';
import { BINANCE_DESCRIPTOR } from './binance/descriptor';
import { BYBIT_DESCRIPTOR } from './bybit/descriptor';
import type { AdapterContext, VenueDescriptor } from './descriptor';
import { checkDistinct, checkKeyShape } from './keyShape';
import { MEXC_DEFAULT_ENDPOINTS, MexcAdapter, type MexcAdapterOptions } from './mexc/adapter';
import { MIXIN_DESCRIPTOR } from './mixin/descriptor';
import { MULTIWA_DESCRIPTOR } from './multiwa/descriptor';
import { VenueError, type VenueAdapter } from './venue';

export type { AdapterContext, EndpointDescriptor, EndpointPreset, FieldDescriptor, SettingDescriptor, VenueDescriptor } from './descriptor';

/** MEXC access keys start with `mx0`; the secret is hex. A pair the other way round was pasted swapped. */
function checkMexcPair(values: Readonly<Record<string, string>>): string | undefined {
  const { apiKey = '', secretKey = '' } = values;
  if (/^mx0/i.test(secretKey) && !/^mx0/i.test(apiKey)) return 'the API key and the secret key look swapped (the access key starts with "mx0")';
  return checkDistinct(values, 'apiKey', 'secretKey', 'the API key and the secret key are the same value: paste the secret into the second box');
}

export const MEXC_DESCRIPTOR: VenueDescriptor = {
  id: 'mexc',
  name: 'MEXC P2P',
  credentialFields: [
    { key: 'apiKey', label: 'API key (access key)', kind: 'secret', secret: true, hint: 'A key with the "P2P Deal Order" permission.', validate: checkKeyShape },
    { key: 'secretKey', label: 'Secret key', kind: 'secret', secret: true, validate: checkKeyShape },
  ],
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
      credentials: { apiKey: required(ctx.credentials, 'apiKey'), secretKey: required(ctx.credentials, 'secretKey') },
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

export const VENUES: readonly VenueDescriptor[] = [MEXC_DESCRIPTOR, BINANCE_DESCRIPTOR, BYBIT_DESCRIPTOR, MULTIWA_DESCRIPTOR, MIXIN_DESCRIPTOR];

export function venueDescriptor(id: VenueId): VenueDescriptor {
  const d = VENUES.find((v) => v.id === id);
  if (!d) throw new Error(`unknown venue ${id}`);
  return d;
}

export function createAdapter(venue: VenueId, ctx: AdapterContext): VenueAdapter {
  const d = venueDescriptor(venue);
  if (!d.create) throw new VenueError('rejected', `${d.name} is not supported yet in this version of Venue Chat.`);
  return d.create(ctx);
}

function required(values: Readonly<Record<string, string>>, key: string): string {
  const v = values[key];
  if (!v) throw new VenueError('auth', `missing credential "${key}"`);
  return v;
}
