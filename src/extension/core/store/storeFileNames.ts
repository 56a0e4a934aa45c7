// File names in the message store: `messages/<account>/<conversation>.jsonl`. Account and
// conversation ids are arbitrary strings (emails, UUIDs, phone numbers, anything a venue uses), and
// the file system may be case-insensitive (Windows, macOS), so each name is a lowercase readable
// hint plus a hash of the exact id: safe on every platform, collision-free.
import { createHash } from 'node:crypto';

export const LOG_EXTENSION = '.jsonl';

function hashedName(id: string, fallback: string): string {
  const hint = id
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 32);
  // 96 bits: a collision between two ids of one user is not a practical concern.
  const hash = createHash('sha256').update(id, 'utf8').digest('hex').slice(0, 24);
  return `${hint || fallback}-${hash}`;
}

/** The account's directory under `messages/`. */
export function accountDirName(accountId: string): string {
  return hashedName(accountId, 'account');
}

/** A conversation's log inside its account's directory. */
export function conversationLogName(conversationId: string): string {
  return hashedName(conversationId, 'conversation') + LOG_EXTENSION;
}

/** The log of a whole account in the first layout (one file per account, beside the directories). */
export function legacyAccountLogName(accountId: string): string {
  return accountDirName(accountId) + LOG_EXTENSION;
}
