// Mixin's identifiers and time format: UUIDs (user, session, conversation, message, attachment),
// the deterministic contact conversation id, base64 in both alphabets, RFC 3339 with microseconds.
import { createHash } from 'node:crypto';
import type { Random } from '../util/random';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** A version-4 UUID drawn from a seeded stream. */
export function uuidFrom(r: Random): string {
  const h = r.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'.charAt(r.int(0, 3))}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function formatUuid(bytes: Buffer): string {
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The contact conversation of two users: md5 of the ordered pair, with version 3 and the RFC 4122 variant. */
export function uniqueConversationId(a: string, b: string): string {
  const [lo, hi] = a < b ? [a, b] : [b, a];
  const bytes = createHash('md5').update(lo + hi).digest();
  bytes[6] = (bytes[6]! & 0x0f) | 0x30;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return formatUuid(bytes);
}

/** RFC 3339 in UTC with microseconds, as Mixin writes `created_at` (ms precision padded). */
export function rfc3339Micro(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Standard base64 (padded), Mixin's `data`. */
export const stdBase64 = (bytes: Buffer): string => bytes.toString('base64');
/** URL-safe base64 without padding, Mixin's `data_base64`. */
export const urlBase64 = (bytes: Buffer): string => bytes.toString('base64url');

/** Strict decoders: undefined unless the text is canonical base64 of that alphabet. */
export function decodeStdBase64(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

export function decodeUrlBase64(text: string): Buffer | undefined {
  // Padding is tolerated (some clients keep it), the alphabet is not.
  const bare = text.replace(/={1,2}$/, '');
  if (!/^[A-Za-z0-9_-]*$/.test(bare) || bare.length % 4 === 1) return undefined;
  const bytes = Buffer.from(bare, 'base64url');
  return bytes.toString('base64url') === bare ? bytes : undefined;
}
