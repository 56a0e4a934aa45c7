// Fault switches, each a one-liner in the control API (`POST /control/binance/faults`). Actions
// (`true`) run once; counters (`n`) arm the next n events; the rest persist until changed or reset.
import * as z from 'zod';

const count = z.number().int().min(0);
const accountIndexes = z.array(z.number().int().min(0)).max(16);

export const faultRequestSchema = z
  .object({
    /** The next n chat upgrades are refused with 401 and their tokens spent, as the venue does under load. */
    rejectUpgrades: count.optional(),
    /** Action: every listenToken issued so far stops working (as if the venue had restarted its IM gateway). */
    expireTokens: z.literal(true).optional(),
    /** Action: every live socket gets the text frame `Bye` and is closed (another client took the session). */
    bye: z.literal(true).optional(),
    /** Every push and echo is sent twice. */
    duplicatePushes: z.boolean().optional(),
    /** The next n sends are stored and forwarded to the other side, but their echo never arrives. */
    loseEchoes: count.optional(),
    /** The next n signed REST calls get HTTP 429 with Retry-After (nothing runs). */
    http429: count.optional(),
    /** The next n signed REST calls get HTTP 503 -1001 (nothing runs). */
    http5xx: count.optional(),
    /** Action: cut every socket without a close frame (client sees 1006). */
    dropAll: z.literal(true).optional(),
    /**
     * true: every socket open now goes silent (nothing read, nothing sent, no pong; TCP kept open);
     * new sockets work. false: destroy the silent ones.
     */
    halfOpen: z.boolean().optional(),
    heartbeatTimeoutMs: z.number().int().min(1).optional(),
    counterparty: z.boolean().optional(),
    /** Server clock offset (ms): tests time sync on -1021. */
    clockSkewMs: z.number().int().optional(),
    /** Account indexes whose key has the C2C permission off (every C2C route → 401 -2015). */
    withoutC2cPermission: accountIndexes.optional(),
    /** Account indexes without merchant permission (every socket send → ILLEGAL_PARAM). */
    withoutMerchantPermission: accountIndexes.optional(),
    /**
     * The next n authentic signed REST calls are refused as a rejected key (401 -2015) whose `msg`
     * quotes the request: api key, signature, signed query and the account's chat listenKey.
     * Each value quoted is listed in `echoedSecrets`.
     */
    echoSecrets: count.optional(),
    /** Action: every live chat socket is closed (1000) with a reason quoting its listenKey. */
    echoSecretsClose: z.literal(true).optional(),
  })
  .strict();

export type FaultRequest = z.input<typeof faultRequestSchema>;

/** The persistent part, as reported by GET /faults and /state. */
export interface FaultState {
  rejectUpgrades: number;
  duplicatePushes: boolean;
  loseEchoes: number;
  http429: number;
  http5xx: number;
  halfOpenSockets: number;
  heartbeatTimeoutMs: number;
  counterparty: boolean;
  clockSkewMs: number;
  withoutC2cPermission: number[];
  withoutMerchantPermission: number[];
  echoSecrets: number;
  /** Every value an `echoSecrets`/`echoSecretsClose` reply quoted. */
  echoedSecrets: string[];
}
