// The Mixin emulator as a sandbox plug-in: builds it from the host's context, reports its REST
// base and Blaze URL and the bot account (its keystore), and exposes its test hooks as control
// routes under /control/mixin.
import { optionalNonNegativeInt, optionalString, requestKind } from '../util/controlQuery';
import { definedFields } from '../util/settings';
import { runningEmulator, startOrClose, type ControlRoutes, type EmulatorDefinition } from '../venueEmulator';
import { MixinEmulator, type MixinSettings } from './emulator';
import { REQUEST_KINDS } from './records';

/** Mixin's own settings (`SandboxOptions.venues.mixin`); they win over the common options. */
export type MixinOptions = Partial<MixinSettings>;

function mixinRoutes(mixin: MixinEmulator): ControlRoutes {
  return {
    '/requests': { GET: (q) => mixin.requests({ sinceSeq: optionalNonNegativeInt(q, 'since'), kind: requestKind(q, REQUEST_KINDS) }) },
    '/frames': { GET: (q) => mixin.frames(optionalNonNegativeInt(q, 'since')) },
    '/messages': { GET: (q) => mixin.messages(optionalString(q, 'conversationId')) },
    '/conversations': { GET: () => mixin.conversations() },
    '/pending': { GET: () => mixin.pending() },
    '/acks': { GET: () => mixin.acks() },
    '/attachments': { GET: () => mixin.attachments() },
    '/sockets': { GET: () => mixin.sockets() },
  };
}

export const mixinEmulator: EmulatorDefinition<'mixin', MixinOptions, MixinEmulator> = {
  id: 'mixin',
  name: 'Mixin Messenger',
  async start(ctx) {
    // Blaze has server pings, not a client heartbeat deadline; no orders, no clock sweep.
    const { heartbeatTimeoutMs: _heartbeat, sweepIntervalMs: _sweep, activeOrders: _orders, ...common } = definedFields(ctx.common);
    const mixin = new MixinEmulator({ ...common, seed: ctx.seed, ...definedFields(ctx.options), clock: ctx.clock, log: ctx.log });
    await startOrClose(mixin, ctx.host, ctx.port);
    return runningEmulator(mixin, { rest: mixin.restUrl, blaze: mixin.blazeUrl }, mixinRoutes(mixin));
  },
};
