// The Bybit P2P emulator as a sandbox plug-in: builds it from the host's context, reports its
// endpoint and accounts, and exposes its test hooks as control routes under /control/bybit.
import { accountRef, optionalNonNegativeInt, optionalString, requestKind as requestKindOf } from '../util/controlQuery';
import type { ControlRoutes, EmulatorDefinition } from '../venueEmulator';
import { BybitEmulator, type BybitSettings } from './emulator';
import type { FaultRequest } from './faults';
import type { RequestRecord } from './records';

/** Bybit's own settings (`SandboxOptions.venues.bybit`); they win over the common options. */
export type BybitOptions = Partial<BybitSettings>;

const REQUEST_KINDS: readonly RequestRecord['kind'][] = ['rest', 'upload', 'media'];


// Bodies are validated by the emulator's zod schemas; the casts only name the parameter type.
function bybitRoutes(bybit: BybitEmulator): ControlRoutes {
  return {
    '/requests': { GET: (q) => bybit.requests({ sinceSeq: optionalNonNegativeInt(q, 'since'), kind: requestKindOf(q, REQUEST_KINDS) }) },
    '/messages': { GET: (q) => bybit.messages(optionalString(q, 'orderId')) },
    '/orders': {
      GET: (q) => bybit.orders(accountRef(q)),
      POST: (_q, body) => bybit.createOrder(body as Parameters<BybitEmulator['createOrder']>[0]),
    },
    '/orders/state': { POST: (_q, body) => bybit.setOrderState(body as Parameters<BybitEmulator['setOrderState']>[0]) },
    '/sessions': { GET: (q) => bybit.sessions(accountRef(q)) },
  };
}

function defined<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export const bybitEmulator: EmulatorDefinition<'bybit', BybitOptions, BybitEmulator> = {
  id: 'bybit',
  name: 'Bybit P2P',
  async start(ctx) {
    // No sockets, so no heartbeat; expiry is checked against the clock at use, so no sweep.
    const { heartbeatTimeoutMs: _heartbeat, sweepIntervalMs: _sweep, ...common } = defined(ctx.common);
    const bybit = new BybitEmulator({ ...common, seed: ctx.seed, ...defined(ctx.options), clock: ctx.clock, log: ctx.log });
    try {
      await bybit.start(ctx.host, ctx.port);
    } catch (e) {
      await bybit.close();
      throw e;
    }
    return {
      handle: bybit,
      endpoints: { rest: bybit.restUrl },
      accounts: bybit.accounts().map((a) => ({ label: a.label, credentials: { ...a.credentials }, endpoints: { ...a.endpoints } })),
      state: () => bybit.state(),
      inject: (input) => bybit.inject(input as Parameters<BybitEmulator['inject']>[0]),
      faults: () => bybit.faults(),
      applyFaults: (input) => bybit.applyFaults(input as FaultRequest),
      routes: bybitRoutes(bybit),
      reset: () => bybit.reset(),
      close: () => bybit.close(),
    };
  },
};
