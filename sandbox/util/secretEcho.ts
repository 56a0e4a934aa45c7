// The `echoSecrets` fault every venue has: real gateways sometimes quote a request back in their
// error text (its API key, signature, signed query, token, JWT), and a client must not pass such
// text on to its log, its views or its files. The emulator keeps every value it echoed (in its
// fault state, `echoedSecrets`) so a test can look for exactly those strings: a signature is
// derived from a secret, not equal to it, and only the venue saw it.

/** A WebSocket close reason is at most 123 bytes: longer quotes are cut (a cut secret is still a secret). */
export const MAX_CLOSE_REASON_BYTES = 123;

export function closeReason(text: string): string {
  let out = text;
  while (Buffer.byteLength(out) > MAX_CLOSE_REASON_BYTES) out = out.slice(0, -1);
  return out;
}

/** More than this many echoed values are not kept (a long run must not grow the list without bound). */
const MAX_ECHOED = 1000;

/** Notes each non-empty value the reply is about to quote. */
export function noteEchoed(list: string[], ...values: (string | null | undefined)[]): void {
  for (const v of values) if (v && list.length < MAX_ECHOED && !list.includes(v)) list.push(v);
}
