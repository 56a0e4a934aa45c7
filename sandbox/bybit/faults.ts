// Fault switches, each a one-liner in the control API (`POST /control/bybit/faults`). Actions
// (`true`) run once; counters (`n`) arm the next n events; the rest persist until changed or reset.
import * as z from 'zod';

const count = z.number().int().min(0);
const accountIndexes = z.array(z.number().int().min(0)).max(16);

export const faultRequestSchema = z
  .object({
    /** Account indexes whose order-scoped chat API answers 912200387 (default: [1]). */
    legacyChatClosed: accountIndexes.optional(),
    /** Every signed call answers HTTP 401 (a testnet key on a mainnet host, or the reverse). */
    wrongEnvironment: z.boolean().optional(),
    /** Every call, unsigned and media too, answers HTTP 403 (a blocked region). */
    geoBlock: z.boolean().optional(),
    /** Server clock offset (ms): the client's 10002 time sync. */
    clockSkewMs: z.number().int().optional(),
    /** The next n signed calls answer ret_code 10004 (a wrong secret or key pair). */
    badSignature: count.optional(),
    /** The next n signed calls answer ret_code 10006 with X-Bapi-Limit-Reset-Timestamp. */
    rateLimit: count.optional(),
    /** The next n signed calls answer HTTP 429 (nothing runs). */
    http429: count.optional(),
    /** The next n signed calls answer HTTP 502 (nothing runs). */
    http5xx: count.optional(),
    /** The next `n` signed calls run, then answer after `ms`. */
    slowReplies: z.object({ ms: z.number().int().min(0).max(120_000), n: count }).strict().optional(),
    /** The next n sends (either chat API) are stored, then the connection is destroyed with no reply. */
    loseReplies: count.optional(),
    /** The next n chat message lists (either API) carry one malformed item on top (bad id, time and body). */
    malformedItems: count.optional(),
    /** Action: every media link stops working now (404). */
    expireMedia: z.literal(true).optional(),
    counterparty: z.boolean().optional(),
    /**
     * The next n authentic signed calls answer ret_code 10004 the way Bybit words it when it
     * shows its work: `error sign! origin_string[<timestamp><api key><recv window><payload>]`, here
     * with the request's `sign` too. Each value quoted is listed in `echoedSecrets`.
     */
    echoSecrets: count.optional(),
  })
  .strict();

export type FaultRequest = z.input<typeof faultRequestSchema>;

/** As reported by GET /faults and /state. */
export interface FaultState {
  legacyChatClosed: number[];
  wrongEnvironment: boolean;
  geoBlock: boolean;
  clockSkewMs: number;
  badSignature: number;
  rateLimit: number;
  http429: number;
  http5xx: number;
  slowReplies: { ms: number; n: number };
  loseReplies: number;
  malformedItems: number;
  counterparty: boolean;
  echoSecrets: number;
  /** Every value an `echoSecrets` reply quoted (api keys, signatures, signed strings). */
  echoedSecrets: string[];
}

/** Takes one from an armed counter; whether it was armed. */
export function take(state: FaultState, key: 'badSignature' | 'rateLimit' | 'http429' | 'http5xx' | 'loseReplies' | 'malformedItems' | 'echoSecrets'): boolean {
  if (state[key] <= 0) return false;
  state[key] -= 1;
  return true;
}
