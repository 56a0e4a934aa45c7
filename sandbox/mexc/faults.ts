// Fault switches for reconnect and error-path tests (drop socket, delay reply,
// rate-limit error, expire token). One-shot actions run once; the others persist until changed
// or reset.
import * as z from 'zod';

export const faultRequestSchema = z
  .object({
    /** Action: terminate every live socket without a close frame (client sees 1006). */
    dropAll: z.literal(true).optional(),
    /**
     * true: every socket open right now goes silent (frames ignored, nothing pushed, no pong; the
     * TCP stays open). New connections work normally. false: destroy those silent sockets.
     */
    halfOpen: z.boolean().optional(),
    /** The next N WebSocket upgrades get HTTP 503. */
    rejectUpgrades: z.number().int().min(0).optional(),
    /** The next N SEND_MESSAGE frames are accepted (stored, echoed) but their reply is lost on the way back. */
    loseSendReplies: z.number().int().min(0).optional(),
    /** Delay every REST reply by this many ms (the request still takes effect at once). */
    slowReplyMs: z.number().int().min(0).optional(),
    /** The next N signed REST calls get HTTP 429. */
    rateLimitNext: z.number().int().min(0).optional(),
    /** Action: every listenKey expires now and its sockets close. */
    expireListenKeys: z.literal(true).optional(),
    heartbeatTimeoutMs: z.number().int().min(1).optional(),
    echoSelf: z.boolean().optional(),
    counterparty: z.boolean().optional(),
    /** Server clock skew (ms) added to the venue clock: tests client time sync / recvWindow handling. */
    clockSkewMs: z.number().int().optional(),
    /**
     * The next N signed REST calls (valid ones) are refused as a bad signature (400 700002) whose
     * `msg` quotes the request: its api key, signature, signed query and listenKey, as gateways
     * sometimes do. Each value quoted is listed in `echoedSecrets`.
     */
    echoSecrets: z.number().int().min(0).optional(),
    /** Action: every live chat socket is closed (1000) with a reason quoting its listenKey. */
    echoSecretsClose: z.literal(true).optional(),
  })
  .strict();

export type FaultRequest = z.infer<typeof faultRequestSchema>;

/** The persistent part, as reported by GET /state and the faults reply. */
export interface FaultState {
  halfOpenSockets: number;
  rejectUpgrades: number;
  loseSendReplies: number;
  slowReplyMs: number;
  rateLimitNext: number;
  heartbeatTimeoutMs: number;
  echoSelf: boolean;
  counterparty: boolean;
  clockSkewMs: number;
  echoSecrets: number;
  /** Every value an `echoSecrets`/`echoSecretsClose` reply quoted (keys, signatures, queries, listen keys). */
  echoedSecrets: string[];
}
