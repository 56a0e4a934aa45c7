// Fault switches, each a one-liner in the control API (`POST /control/multiwa/faults`). Actions
// (`true`) run once; counters (`n`) arm the next n events; the rest persist until changed or reset.
import * as z from 'zod';

const count = z.number().int().min(0);

export const SEND_MODES = ['sync', 'queued', 'engineFailure'] as const;
export type SendMode = (typeof SEND_MODES)[number];

export const faultRequestSchema = z
  .object({
    /** The next n realtime events (either transport, every subscriber) are never delivered. */
    loseEvents: count.optional(),
    /** The next n realtime events go out malformed (a garbled payload instead of the event). */
    malformedEvents: count.optional(),
    /** Action: the profile (default account 0's) drops: disconnected, reconnecting (n/3), connected again. */
    profileDisconnect: z.union([z.literal(true), z.object({ profileId: z.string().optional(), recoverAfterMs: z.number().int().min(0).max(600_000).optional() }).strict()]).optional(),
    /** Action: the profile (default account 0's) is logged out and must be paired again (QR codes follow). */
    requirePairing: z.union([z.literal(true), z.object({ profileId: z.string() }).strict()]).optional(),
    /** Action: account 0's API key (or the given account's) expires now: 401 "API key expired". */
    expireApiKey: z.union([z.literal(true), z.object({ account: z.number().int().min(0) }).strict()]).optional(),
    /** The next n REST calls answer 429 (the throttler's body); nothing runs. */
    http429: count.optional(),
    /** The next n REST calls answer 500; nothing runs. */
    http5xx: count.optional(),
    /** The next n sends are stored and sent, then the connection is destroyed with no reply. */
    loseReplies: count.optional(),
    /** The next n REST calls run at once and answer after `ms`. */
    slowReplies: z.object({ ms: z.number().int().min(0).max(120_000), n: count }).strict().optional(),
    /** No Socket.IO: `/socket.io/` answers 404 (handshakes and polling), live Socket.IO clients are cut. */
    socketIoDisabled: z.boolean().optional(),
    /** No plain WebSocket API: upgrades to `/ws` answer 404, live plain clients are cut. */
    plainWsDisabled: z.boolean().optional(),
    /** How sends behave: `sync` (sent at once), `queued` (durable queue, sent a moment later), `engineFailure` (201 success:false). */
    sendMode: z.enum(SEND_MODES).optional(),
    counterparty: z.boolean().optional(),
    /**
     * The next n authenticated REST calls answer Nest's 401 with a message quoting the credentials
     * the request carried (its `x-api-key` and its Bearer JWT). Each value quoted is listed in
     * `echoedSecrets`.
     */
    echoSecrets: count.optional(),
  })
  .strict();

export type FaultRequest = z.input<typeof faultRequestSchema>;

export interface FaultState {
  loseEvents: number;
  malformedEvents: number;
  http429: number;
  http5xx: number;
  loseReplies: number;
  slowReplies: { ms: number; n: number };
  socketIoDisabled: boolean;
  plainWsDisabled: boolean;
  sendMode: SendMode;
  counterparty: boolean;
  echoSecrets: number;
  /** Every value an `echoSecrets` reply quoted (API keys, JWTs). */
  echoedSecrets: string[];
}
