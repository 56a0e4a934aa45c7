// File names for per-account logs. Account ids are arbitrary strings (emails, UUIDs, phone numbers,
// anything a venue uses), and the file system may be case-insensitive (Windows, macOS), so the name
// is a lowercase readable hint plus a hash of the exact id: safe on every platform, collision-free.
import { createHash } from 'node:crypto';

export const ACCOUNT_LOG_EXTENSION = '.jsonl';

export function accountLogFileName(accountId: string): string {
  const hint = accountId
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 32);
  // 96 bits: a collision between two accounts of one user is not a practical concern.
  const hash = createHash('sha256').update(accountId, 'utf8').digest('hex').slice(0, 24);
  return `${hint || 'account'}-${hash}${ACCOUNT_LOG_EXTENSION}`;
}
