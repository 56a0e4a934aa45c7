// What the HTTP client makes of a reply once its bytes are in: the body read as text and JSON, then
// the failures the core decides on its own (rate limits, 5xx, a 2xx that is not JSON). Pure, so the
// venues' reply parsers can be fed generated replies without a network (test/unit/fuzz).
import { garbledReply, statusFailure, type FailureContext, type HttpRequestError, type HttpResponse, type StatusPolicy } from './httpFailure';

/** A reply as the venue clients see it: header names lower-cased, the body as text and as JSON. */
export function replyOf(status: number, headers: Readonly<Record<string, string>>, bodyBytes: Buffer): HttpResponse {
  const bodyText = bodyBytes.toString('utf8');
  return { status, headers, bodyBytes, bodyText, json: parseJson(bodyText) };
}

/**
 * The failure the core raises for `res` itself, or undefined when the reply goes back to the venue
 * client. `expectJson`: a 2xx must be JSON (else its outcome is unknown).
 */
export function replyFailure(ctx: FailureContext, res: HttpResponse, policy: StatusPolicy, expectJson: boolean): HttpRequestError | undefined {
  const failure = statusFailure(ctx, res, policy);
  if (failure) return failure;
  if (expectJson && res.status >= 200 && res.status < 300 && res.status !== 204 && res.json === undefined) return garbledReply(ctx, res);
  return undefined;
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
