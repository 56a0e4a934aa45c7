// Blaze frames (docs/venue-protocols.md, Mixin: Blaze): every message both ways is a binary
// WebSocket frame holding gzip-compressed UTF-8 JSON. Requests are `{id, action, params}`; replies
// reuse the request's id and carry `data` or `error {code, description}`; pushes carry their own id.
// Decompression is capped, so a small hostile frame cannot expand into memory (a gzip bomb).
import { gunzipSync, gzipSync } from 'node:zlib';

/** No Blaze frame comes anywhere near this once decompressed (messages are ≤ 128 KB). */
export const MAX_BLAZE_JSON_BYTES = 4 * 1024 * 1024;

export interface BlazeRequest {
  readonly id: string;
  readonly action: string;
  readonly params?: unknown;
}

export interface BlazeInbound {
  readonly id?: string;
  readonly action?: string;
  readonly data?: unknown;
  readonly error?: { readonly code: number; readonly description: string };
}

export type DecodedFrame = { readonly ok: true; readonly frame: BlazeInbound } | { readonly ok: false; readonly problem: string };

export function encodeBlazeFrame(request: BlazeRequest): Buffer {
  // Level 3, as the SDKs write: small frames, little CPU.
  return gzipSync(Buffer.from(JSON.stringify(request), 'utf8'), { level: 3 });
}

export function decodeBlazeFrame(bytes: Uint8Array): DecodedFrame {
  let json: Buffer;
  try {
    json = gunzipSync(bytes, { maxOutputLength: MAX_BLAZE_JSON_BYTES });
  } catch (err) {
    const code = (err as { code?: string }).code;
    return { ok: false, problem: code === 'ERR_BUFFER_TOO_LARGE' ? `a frame that expands past ${MAX_BLAZE_JSON_BYTES} bytes` : 'a frame that is not gzip data' };
  }
  let value: unknown;
  try {
    value = JSON.parse(json.toString('utf8'));
  } catch {
    return { ok: false, problem: 'a frame whose content is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, problem: 'a frame that is not a JSON object' };
  const o = value as Record<string, unknown>;
  const error = o['error'];
  let parsedError: BlazeInbound['error'];
  if (error !== undefined && error !== null) {
    if (typeof error !== 'object') return { ok: false, problem: 'an error that is not an object' };
    const e = error as Record<string, unknown>;
    // The docs' sample spells it `desciption`.
    const description = typeof e['description'] === 'string' ? e['description'] : typeof e['desciption'] === 'string' ? e['desciption'] : '';
    parsedError = { code: typeof e['code'] === 'number' ? e['code'] : Number(e['code']) || 0, description };
  }
  return {
    ok: true,
    frame: {
      ...(typeof o['id'] === 'string' ? { id: o['id'] } : {}),
      ...(typeof o['action'] === 'string' ? { action: o['action'] } : {}),
      ...(o['data'] !== undefined ? { data: o['data'] } : {}),
      ...(parsedError ? { error: parsedError } : {}),
    },
  };
}
