// The MultiWA emulator as a sandbox plug-in: builds it from the host's context, reports its base
// URL and accounts (the API-key one and the login one whose profile needs pairing), and exposes its
// test hooks as control routes under /control/multiwa.
import { accountRef, optionalNonNegativeInt, optionalString, requestKind } from '../util/controlQuery';
import { definedFields } from '../util/settings';
import { runningEmulator, startOrClose, type ControlRoutes, type EmulatorDefinition } from '../venueEmulator';
import { MultiwaEmulator, type MultiwaSettings } from './emulator';
import { REQUEST_KINDS } from './records';

/** MultiWA's own settings (`SandboxOptions.venues.multiwa`); they win over the common options. */
export type MultiwaOptions = Partial<MultiwaSettings>;

// Bodies are validated by the emulator's zod schemas; the casts only name the parameter type.
function multiwaRoutes(multiwa: MultiwaEmulator): ControlRoutes {
  return {
    '/requests': { GET: (q) => multiwa.requests({ sinceSeq: optionalNonNegativeInt(q, 'since'), kind: requestKind(q, REQUEST_KINDS) }) },
    '/conversations': { GET: (q) => multiwa.conversations(accountRef(q)) },
    '/messages': { GET: (q) => multiwa.messages(optionalString(q, 'conversationId')) },
    '/profiles': { GET: () => multiwa.profiles() },
    '/sockets': { GET: () => multiwa.sockets() },
    '/pair': { POST: (_q, body) => multiwa.pair(body as Parameters<MultiwaEmulator['pair']>[0]) },
  };
}

export const multiwaEmulator: EmulatorDefinition<'multiwa', MultiwaOptions, MultiwaEmulator> = {
  id: 'multiwa',
  name: 'MultiWA (WhatsApp gateway)',
  async start(ctx) {
    // The common heartbeat is the plain WebSocket API's ping deadline; no orders, no clock sweep.
    const { heartbeatTimeoutMs, sweepIntervalMs: _sweep, activeOrders: _orders, ...common } = definedFields(ctx.common);
    const multiwa = new MultiwaEmulator({
      ...common, ...(heartbeatTimeoutMs !== undefined ? { plainWsIdleTimeoutMs: heartbeatTimeoutMs } : {}), seed: ctx.seed,
      ...definedFields(ctx.options), clock: ctx.clock, log: ctx.log,
    });
    await startOrClose(multiwa, ctx.host, ctx.port);
    return runningEmulator(
      multiwa,
      { rest: `${multiwa.baseUrl}/api/v1`, socketIo: `${multiwa.baseUrl}/ws`, ws: `${multiwa.baseUrl.replace(/^http/, 'ws')}/ws` },
      multiwaRoutes(multiwa),
    );
  },
};
