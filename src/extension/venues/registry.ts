// What the host needs to know about each venue to add an account and build its adapter.
import type { VenueId } from '../../shared/model';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import { MEXC_DEFAULT_ENDPOINTS, MexcAdapter } from './mexc/adapter';
import { VenueError, type VenueAdapter } from './venue';

export interface FieldDescriptor {
  readonly key: string;
  readonly label: string;
  readonly secret: boolean;
}

export interface EndpointDescriptor {
  readonly key: string;
  readonly label: string;
  readonly defaultValue: string;
}

export interface AdapterContext {
  readonly accountId: string;
  readonly credentials: Readonly<Record<string, string>>;
  readonly endpoints: Readonly<Record<string, string>>;
  readonly options: Readonly<Record<string, number | undefined>>;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

export interface VenueDescriptor {
  readonly id: VenueId;
  readonly name: string;
  readonly credentialFields: readonly FieldDescriptor[];
  readonly endpoints: readonly EndpointDescriptor[];
  /** Adapters not built yet are listed so the user sees the roadmap, but cannot be added. */
  readonly create?: (ctx: AdapterContext) => VenueAdapter;
}

export const VENUES: readonly VenueDescriptor[] = [
  {
    id: 'mexc',
    name: 'MEXC P2P',
    credentialFields: [
      { key: 'apiKey', label: 'API key (access key)', secret: true },
      { key: 'secretKey', label: 'Secret key', secret: true },
    ],
    endpoints: [
      { key: 'rest', label: 'REST base URL', defaultValue: MEXC_DEFAULT_ENDPOINTS.rest },
      { key: 'ws', label: 'Chat WebSocket URL', defaultValue: MEXC_DEFAULT_ENDPOINTS.ws },
    ],
    create: (ctx) =>
      new MexcAdapter({
        accountId: ctx.accountId,
        credentials: { apiKey: required(ctx.credentials, 'apiKey'), secretKey: required(ctx.credentials, 'secretKey') },
        endpoints: { rest: ctx.endpoints.rest ?? MEXC_DEFAULT_ENDPOINTS.rest, ws: ctx.endpoints.ws ?? MEXC_DEFAULT_ENDPOINTS.ws },
        maxSockets: ctx.options.maxSockets,
        timezoneOffsetMinutes: ctx.options.timezoneOffsetMinutes,
        heartbeatMs: ctx.options.heartbeatMs,
        clock: ctx.clock,
        logger: ctx.logger,
      }),
  },
  { id: 'binance', name: 'Binance C2C', credentialFields: [], endpoints: [] },
  { id: 'bybit', name: 'Bybit P2P', credentialFields: [], endpoints: [] },
  { id: 'multiwa', name: 'MultiWA (WhatsApp gateway)', credentialFields: [], endpoints: [] },
  { id: 'mixin', name: 'Mixin Messenger bot', credentialFields: [], endpoints: [] },
];

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

/** Endpoints must be https/wss, except loopback and hosts the user set explicitly (design.md §8). */
export function checkEndpoint(url: string, explicit: boolean): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `not a URL: ${url}`;
  }
  const secure = parsed.protocol === 'https:' || parsed.protocol === 'wss:';
  const plain = parsed.protocol === 'http:' || parsed.protocol === 'ws:';
  if (!secure && !plain) return `unsupported scheme ${parsed.protocol} in ${url}`;
  const loopback = ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(parsed.hostname);
  if (plain && !loopback && !explicit) return `plain ${parsed.protocol} is allowed only for loopback or explicitly configured hosts: ${url}`;
  return undefined;
}

function required(values: Readonly<Record<string, string>>, key: string): string {
  const v = values[key];
  if (!v) throw new VenueError('auth', `missing credential "${key}"`);
  return v;
}
