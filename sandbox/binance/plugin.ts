// The Binance C2C emulator as a sandbox plug-in: builds it from the host's context, reports its
// endpoints and accounts, and exposes its test hooks as control routes under /control/binance.
import { SandboxInputError } from '../util/input';
import type { ControlRoutes, EmulatorDefinition } from '../venueEmulator';
import { BinanceEmulator, type BinanceSettings } from './emulator';
import type { FaultRequest } from './faults';
import type { RequestRecord } from './records';

/** Binance's own settings (`SandboxOptions.venues.binance`); they win over the common options. */
export type BinanceOptions = Partial<BinanceSettings>;

const REQUEST_KINDS: readonly RequestRecord['kind'][] = ['rest', 'upgrade', 'upload', 'media'];

function optionalInt(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  if (!/^\d{1,15}$/.test(value)) throw new SandboxInputError(`${name} must be a non-negative integer`);
  return Number(value);
}

function optionalString(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name);
  return value === null || value === '' ? undefined : value;
}

function requestKind(query: URLSearchParams): RequestRecord['kind'] | undefined {
  const kind = query.get('kind');
  if (kind === null) return undefined;
  const known = REQUEST_KINDS.find((k) => k === kind);
  if (!known) throw new SandboxInputError(`kind must be one of ${REQUEST_KINDS.join(', ')}`);
  return known;
}

/** `?account=` as an index or an API key. */
function accountParam(query: URLSearchParams): number | string | undefined {
  const value = optionalString(query, 'account');
  if (value === undefined) return undefined;
  return /^\d{1,3}$/.test(value) ? Number(value) : value;
}

// Bodies are validated by the emulator's zod schemas; the casts only name the parameter type.
function binanceRoutes(binance: BinanceEmulator): ControlRoutes {
  return {
    '/requests': { GET: (q) => binance.requests({ sinceSeq: optionalInt(q, 'since'), kind: requestKind(q) }) },
    '/frames': { GET: (q) => binance.frames(optionalString(q, 'orderNo')) },
    '/messages': { GET: (q) => binance.messages(optionalString(q, 'orderNo')) },
    '/sockets': { GET: () => binance.sockets() },
    '/orders': {
      GET: (q) => binance.orders(accountParam(q)),
      POST: (_q, body) => binance.createOrder(body as Parameters<BinanceEmulator['createOrder']>[0]),
    },
    '/orders/state': { POST: (_q, body) => binance.setOrderState(body as Parameters<BinanceEmulator['setOrderState']>[0]) },
    '/raw': {
      POST: (_q, body) => {
        const b = (typeof body === 'object' && body !== null ? body : {}) as { account?: unknown; frame?: unknown };
        const account = typeof b.account === 'number' || typeof b.account === 'string' ? b.account : 0;
        if (typeof b.frame !== 'string') throw new SandboxInputError('raw needs {frame: string, account?: index or API key}');
        return { delivered: binance.pushRaw(account, b.frame) };
      },
    },
  };
}

function defined<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export const binanceEmulator: EmulatorDefinition<'binance', BinanceOptions, BinanceEmulator> = {
  id: 'binance',
  name: 'Binance C2C',
  async start(ctx) {
    // sweepIntervalMs has no use here: token and upload expiry are checked against the clock at use.
    const { sweepIntervalMs: _unused, ...common } = defined(ctx.common);
    const binance = new BinanceEmulator({ ...common, seed: ctx.seed, ...defined(ctx.options), clock: ctx.clock, log: ctx.log });
    try {
      await binance.start(ctx.host, ctx.port);
    } catch (e) {
      await binance.close();
      throw e;
    }
    return {
      handle: binance,
      endpoints: { rest: binance.restUrl, chat: binance.chatWssUrl, media: binance.mediaUrl },
      accounts: binance.accounts(),
      state: () => binance.state(),
      inject: (input) => binance.inject(input as Parameters<BinanceEmulator['inject']>[0]),
      faults: () => binance.faults(),
      applyFaults: (input) => binance.applyFaults(input as FaultRequest),
      routes: binanceRoutes(binance),
      reset: () => binance.reset(),
      close: () => binance.close(),
    };
  },
};
