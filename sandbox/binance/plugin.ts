// The Binance C2C emulator as a sandbox plug-in: builds it from the host's context, reports its
// endpoints and accounts, and exposes its test hooks as control routes under /control/binance.
import { accountRef, optionalNonNegativeInt, optionalString, requestKind } from '../util/controlQuery';
import { SandboxInputError } from '../util/input';
import { definedFields } from '../util/settings';
import { runningEmulator, startOrClose, type ControlRoutes, type EmulatorDefinition } from '../venueEmulator';
import { BinanceEmulator, type BinanceSettings } from './emulator';
import type { RequestRecord } from './records';

/** Binance's own settings (`SandboxOptions.venues.binance`); they win over the common options. */
export type BinanceOptions = Partial<BinanceSettings>;

const REQUEST_KINDS: readonly RequestRecord['kind'][] = ['rest', 'upgrade', 'upload', 'media'];


// Bodies are validated by the emulator's zod schemas; the casts only name the parameter type.
function binanceRoutes(binance: BinanceEmulator): ControlRoutes {
  return {
    '/requests': { GET: (q) => binance.requests({ sinceSeq: optionalNonNegativeInt(q, 'since'), kind: requestKind(q, REQUEST_KINDS) }) },
    '/frames': { GET: (q) => binance.frames(optionalString(q, 'orderNo')) },
    '/messages': { GET: (q) => binance.messages(optionalString(q, 'orderNo')) },
    '/sockets': { GET: () => binance.sockets() },
    '/orders': {
      GET: (q) => binance.orders(accountRef(q)),
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

export const binanceEmulator: EmulatorDefinition<'binance', BinanceOptions, BinanceEmulator> = {
  id: 'binance',
  name: 'Binance C2C',
  async start(ctx) {
    // sweepIntervalMs has no use here: token and upload expiry are checked against the clock at use.
    const { sweepIntervalMs: _unused, ...common } = definedFields(ctx.common);
    const binance = new BinanceEmulator({ ...common, seed: ctx.seed, ...definedFields(ctx.options), clock: ctx.clock, log: ctx.log });
    await startOrClose(binance, ctx.host, ctx.port);
    return runningEmulator(binance, { rest: binance.restUrl, chat: binance.chatWssUrl, media: binance.mediaUrl }, binanceRoutes(binance));
  },
};
