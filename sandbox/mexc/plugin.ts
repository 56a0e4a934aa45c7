// The MEXC emulator as a sandbox plug-in: builds it from the host's context, reports its
// endpoints and accounts, and exposes its test hooks as control routes under /control/mexc.
import { SandboxInputError } from '../util/input';
import type { ControlRoutes, EmulatorDefinition } from '../venueEmulator';
import { MexcEmulator, type MexcSettings } from './emulator';
import type { FaultRequest } from './faults';
import type { RequestRecord } from './records';

/** MEXC's own settings (`SandboxOptions.venues.mexc`); they win over the common options. */
export type MexcOptions = Partial<MexcSettings>;

const REQUEST_KINDS: readonly RequestRecord['kind'][] = ['rest', 'upgrade', 'media'];

function optionalInt(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  if (!/^-?\d{1,15}$/.test(value)) throw new SandboxInputError(`${name} must be an integer`);
  return Number(value);
}

function requestKind(query: URLSearchParams): RequestRecord['kind'] | undefined {
  const kind = query.get('kind');
  if (kind === null) return undefined;
  const known = REQUEST_KINDS.find((k) => k === kind);
  if (!known) throw new SandboxInputError('kind must be rest, upgrade or media');
  return known;
}

// Bodies are validated by the emulator's zod schemas; the casts only name the parameter type.
function mexcRoutes(mexc: MexcEmulator): ControlRoutes {
  return {
    '/requests': { GET: (q) => mexc.requests({ sinceSeq: optionalInt(q, 'since'), kind: requestKind(q) }) },
    '/frames': { GET: (q) => mexc.frames(optionalInt(q, 'conversationId')) },
    '/messages': { GET: (q) => mexc.messages(optionalInt(q, 'conversationId')) },
    '/sockets': { GET: () => mexc.sockets() },
    '/orders': { POST: (_q, body) => mexc.createOrder(body as Parameters<MexcEmulator['createOrder']>[0]) },
    '/orders/state': { POST: (_q, body) => mexc.setOrderState(body as Parameters<MexcEmulator['setOrderState']>[0]) },
    '/raw': {
      POST: (_q, body) => {
        const b = (typeof body === 'object' && body !== null ? body : {}) as { conversationId?: unknown; frame?: unknown };
        if (typeof b.conversationId !== 'number' || typeof b.frame !== 'string') throw new SandboxInputError('raw needs {conversationId: number, frame: string}');
        return { delivered: mexc.pushRaw(b.conversationId, b.frame) };
      },
    },
    '/sweep': {
      POST: () => {
        mexc.sweep();
        return { ok: true };
      },
    },
  };
}

function defined<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export const mexcEmulator: EmulatorDefinition<'mexc', MexcOptions, MexcEmulator> = {
  id: 'mexc',
  name: 'MEXC P2P',
  async start(ctx) {
    const mexc = new MexcEmulator({ ...defined(ctx.common), seed: ctx.seed, ...defined(ctx.options), clock: ctx.clock, log: ctx.log });
    try {
      await mexc.start(ctx.host, ctx.port);
    } catch (e) {
      await mexc.close();
      throw e;
    }
    return {
      handle: mexc,
      endpoints: { rest: mexc.restUrl, ws: mexc.wsUrl, media: mexc.mediaUrl, upload: mexc.uploadUrl },
      accounts: mexc.accounts(),
      state: () => mexc.state(),
      inject: (input) => mexc.inject(input as Parameters<MexcEmulator['inject']>[0]),
      faults: () => mexc.faults(),
      applyFaults: (input) => mexc.applyFaults(input as FaultRequest),
      routes: mexcRoutes(mexc),
      reset: () => mexc.reset(),
      close: () => mexc.close(),
    };
  },
};
