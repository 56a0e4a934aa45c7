// Fault switches of the Mixin emulator (`POST /control/mixin/faults`). Actions (`true`) run once;
// counters (`n`) arm the next n events; the rest persist until changed or reset.
import * as z from 'zod';

const count = z.number().int().min(0);

export const faultRequestSchema = z
  .object({
    /** Action: cut every Blaze socket now (TCP destroyed, no close frame). */
    dropSockets: z.literal(true).optional(),
    /** The next n Blaze replies are held for `ms` (beyond the client's reply timeout). */
    slowReplies: z.object({ ms: z.number().int().min(0).max(120_000), n: count }).strict().optional(),
    /** The next n Blaze requests are answered with this error code and not carried out. */
    error: z.object({ code: z.number().int().min(1).max(99_999), n: count }).strict().optional(),
    /** The next n HTTP requests (Blaze handshakes included) answer 401 / 403 / 429. */
    http401: count.optional(),
    http403: count.optional(),
    http429: count.optional(),
    /** Venue clock offset: tokens whose iat is further than the allowed skew from it fail with 401. */
    clockSkewMs: z.number().int().min(-86_400_000).max(86_400_000).optional(),
    /** Action: push every pending message again now, to every listening socket. */
    redeliver: z.literal(true).optional(),
    /** The server stops (true) or resumes (false) pinging Blaze sockets. */
    pingsOff: z.boolean().optional(),
    /** The scripted users send and reply (true) or stay quiet (false). */
    counterparty: z.boolean().optional(),
    /**
     * The next n authentic HTTP requests (Blaze handshakes included) answer the 401 envelope with a
     * description quoting the request's JWT and its session id. Each value quoted is listed in `echoedSecrets`.
     */
    echoSecrets: count.optional(),
  })
  .strict();

export type FaultRequest = z.input<typeof faultRequestSchema>;

export interface FaultState {
  slowReplies: { ms: number; n: number };
  error: { code: number; n: number };
  http401: number;
  http403: number;
  http429: number;
  clockSkewMs: number;
  pingsOff: boolean;
  counterparty: boolean;
  /** Counters of the one-shot actions, for the record. */
  socketsDropped: number;
  redeliveries: number;
  echoSecrets: number;
  /** Every value an `echoSecrets` reply quoted (JWTs, session ids). */
  echoedSecrets: string[];
}
