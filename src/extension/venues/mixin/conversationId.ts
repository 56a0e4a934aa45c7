// The id of the contact conversation between two users, as Mixin's SDKs compute it: MD5 of the two
// user ids (the smaller string first), with the UUID version nibble set to 3 and the RFC 4122
// variant bits, written as a UUID. Both sides get the same id without asking the server.
import { createHash } from 'node:crypto';

export function uniqueConversationId(userA: string, userB: string): string {
  const [min, max] = userA <= userB ? [userA, userB] : [userB, userA];
  const bytes = createHash('md5').update(min).update(max).digest();
  bytes[6] = (bytes[6]! & 0x0f) | 0x30;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The Mixin `message_id` of one of our messages: Mixin takes only UUIDs, so a client id that is
 * not one maps to a name-based UUID (MD5, version 3) of it. The same client id always gives the
 * same message id, which is what makes a resend harmless.
 */
export function messageIdFor(clientMessageId: string): string {
  if (UUID.test(clientMessageId)) return clientMessageId.toLowerCase();
  const bytes = createHash('md5').update('venue-chat:message:').update(clientMessageId).digest();
  bytes[6] = (bytes[6]! & 0x0f) | 0x30;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
