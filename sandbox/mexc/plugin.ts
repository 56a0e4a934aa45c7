// The MEXC emulator as a sandbox plug-in: builds it from the host's context, reports its
// endpoints and accounts, and exposes its test hooks as control routes under /control/mexc.
import { optionalInt, requestKind } from '../util/controlQuery';
import { SandboxInputError } from '../util/input';
import { definedFields } from '../util/settings';
import { runningEmulator, startOrClose, type ControlRoutes, type EmulatorDefinition } from '../venueEmulator';
import { MexcEmulator, type MexcSettings } from './emulator';
import type { RequestRecord } from './records';

/** MEXC's own settings (`SandboxOptions.venues.mexc`); they win over the common options. */
export type MexcOptions = Partial<MexcSettings>;

const REQUEST_KINDS: readonly RequestRecord['kind'][] = ['rest', 'upgrade', 'media'];

// Bodies are validated by the emulator's zod schemas; the casts only name the parameter type.
function mexcRoutes(mexc: MexcEmulator): ControlRoutes {
  return {
    '/requests': { GET: (q) => mexc.requests({ sinceSeq: optionalInt(q, 'since'), kind: requestKind(q, REQUEST_KINDS) }) },
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

export const mexcEmulator: EmulatorDefinition<'mexc', MexcOptions, MexcEmulator> = {
  id: 'mexc',
  name: 'MEXC P2P',
  async start(ctx) {
    const mexc = new MexcEmulator({ ...definedFields(ctx.common), seed: ctx.seed, ...definedFields(ctx.options), clock: ctx.clock, log: ctx.log });
    await startOrClose(mexc, ctx.host, ctx.port);
    return runningEmulator(mexc, { rest: mexc.restUrl, ws: mexc.wsUrl, media: mexc.mediaUrl, upload: mexc.uploadUrl }, mexcRoutes(mexc));
  },
};
