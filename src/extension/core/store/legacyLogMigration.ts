// Moves the first layout of the message store (one log per account, `messages/<account>.jsonl`,
// read whole at every start) to the current one (`messages/<account>/<conversation>.jsonl`, read
// per conversation when needed). Runs once per account when the store opens. Nothing is lost: the
// old log is opened with the usual repairs (torn tail cut, damage kept aside), every record goes to
// its conversation's log in the original order, with watermarks, and what cannot be placed is kept
// aside with the damage. Resumable: the new logs are written into `<account>.migrating/` and the
// directory is renamed into place in one step; only then is the old log removed. A crash before the
// rename redoes the account from its old log; a crash after it only removes the old log.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { AppendLog, corruptFilePath } from './appendLog';
import type { OpenLogFile } from './appendLog';
import { appendFileDurably, fileExists, removeFileIfExists, renameReplacing, replaceFileDurably, syncDirectory, writeAll } from './durableFs';
import type { Logger } from '../logger';
import { NO_WATERMARK, conversationHeader, isHeaderRecord, isMessageRecord, parseStoreRecord, withWatermarks, type StoreRecord } from './messageStoreRecord';
import { LOG_EXTENSION, conversationLogName, legacyAccountLogName } from './storeFileNames';

/** Where an account's damage from the old layout is kept, inside its new directory. */
export const LEGACY_CORRUPT_NAME = 'account.corrupt';
const STAGING_SUFFIX = '.migrating';

export interface LegacyMigration {
  /** Accounts moved to the new layout. */
  readonly accounts: number;
  /** Messages and merge records moved. */
  readonly records: number;
  /** What the old logs' repairs found, and records that could not be placed (kept aside). */
  readonly problems: string[];
  readonly skipped: number;
  readonly corrupt: number;
  readonly tornTails: number;
}

/** Migrates every old account log under `messagesDir`; a log that fails stays for the next start. */
export async function migrateLegacyLogs(messagesDir: string, logger: Logger, openFile?: OpenLogFile): Promise<LegacyMigration> {
  const result = { accounts: 0, records: 0, problems: [] as string[], skipped: 0, corrupt: 0, tornTails: 0 };
  const names = new Set<string>();
  for (const entry of await fs.readdir(messagesDir, { withFileTypes: true })) {
    if (entry.name.endsWith(STAGING_SUFFIX) && entry.isDirectory()) continue;
    if (entry.name.endsWith(LOG_EXTENSION) && !entry.isDirectory()) names.add(entry.name);
    // A compaction file without its log: AppendLog.open restores it.
    else if (entry.name.endsWith(`${LOG_EXTENSION}.tmp`)) names.add(entry.name.slice(0, -'.tmp'.length));
  }
  for (const name of [...names].sort()) {
    try {
      const moved = await migrateAccount(messagesDir, name, logger, openFile, result);
      if (moved >= 0) {
        result.accounts++;
        result.records += moved;
      }
    } catch (err) {
      const problem = `${name}: could not move to the per-conversation layout yet (${err instanceof Error ? err.message : String(err)}); it stays as it is and is tried again next time`;
      result.problems.push(problem);
      logger.error(`message store: ${problem}`);
    }
  }
  // A staging directory whose old log is gone belongs to nothing: the rename had happened.
  for (const entry of await fs.readdir(messagesDir, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name.endsWith(STAGING_SUFFIX) && !names.has(entry.name.slice(0, -STAGING_SUFFIX.length) + LOG_EXTENSION)) {
      await fs.rm(path.join(messagesDir, entry.name), { recursive: true, force: true });
    }
  }
  return result;
}

/** Returns the records moved, or -1 when the log held nothing to move (removed as it was). */
async function migrateAccount(messagesDir: string, name: string, logger: Logger, openFile: OpenLogFile | undefined, result: { problems: string[]; skipped: number; corrupt: number; tornTails: number }): Promise<number> {
  const legacyFile = path.join(messagesDir, name);
  const accountDir = path.join(messagesDir, name.slice(0, -LOG_EXTENSION.length));
  const staging = accountDir + STAGING_SUFFIX;
  if ((await fs.stat(accountDir).catch(() => undefined))?.isDirectory()) {
    // The rename happened before a crash: only the old files are left to remove.
    await removeLegacy(legacyFile, accountDir);
    return -1;
  }
  await fs.rm(staging, { recursive: true, force: true });

  const { log, records, recovery } = await AppendLog.open(legacyFile, { parse: parseStoreRecord, logger, ...(openFile ? { openFile } : {}) });
  await log.close();
  result.skipped += recovery.skipped;
  result.corrupt += recovery.corrupt;
  if (recovery.tornTail) result.tornTails++;
  for (const problem of recovery.problems) result.problems.push(`${name}: ${problem}`);

  const accountId = records.find((r): r is Extract<StoreRecord, { m: unknown }> => isMessageRecord(r) && legacyAccountLogName(r.m.accountId) === name)?.m.accountId;
  if (accountId === undefined) {
    if (records.length > 0) {
      result.problems.push(`${name}: no record belongs to this file; left untouched`);
      return -1;
    }
    await removeLegacy(legacyFile, undefined);
    return -1;
  }

  // Every record in file order, to its conversation; merges go where their survivor is.
  const conversationOfKey = new Map<string, string>();
  for (const r of records) if (isMessageRecord(r) && r.m.accountId === accountId && !conversationOfKey.has(r.m.key)) conversationOfKey.set(r.m.key, r.m.conversationId);
  const byConversation = new Map<string, StoreRecord[]>();
  const unplaced: StoreRecord[] = [];
  for (const r of records) {
    if (isHeaderRecord(r)) continue;
    const conversationId = isMessageRecord(r) ? (r.m.accountId === accountId ? r.m.conversationId : undefined) : (conversationOfKey.get(r.to) ?? conversationOfKey.get(r.alias));
    if (conversationId === undefined) {
      unplaced.push(r);
      continue;
    }
    let list = byConversation.get(conversationId);
    if (!list) byConversation.set(conversationId, (list = []));
    list.push(r);
  }

  await fs.mkdir(staging, { recursive: true });
  for (const [conversationId, list] of byConversation) {
    await writeConversationLog(path.join(staging, conversationLogName(conversationId)), accountId, conversationId, list);
  }
  const legacyCorrupt = corruptFilePath(legacyFile);
  if (unplaced.length > 0) {
    await appendFileDurably(legacyCorrupt, Buffer.from(unplaced.map((r) => `${JSON.stringify(r)}\n`).join(''), 'utf8'));
    result.corrupt += unplaced.length;
    result.skipped += unplaced.length;
    result.problems.push(`${name}: ${unplaced.length} record(s) of another account or without their message kept aside in ${LEGACY_CORRUPT_NAME}`);
  }
  if (await fileExists(legacyCorrupt)) await replaceFileDurably(path.join(staging, LEGACY_CORRUPT_NAME), await fs.readFile(legacyCorrupt));
  await syncDirectory(staging);
  // The commit point.
  await renameReplacing(staging, accountDir);
  await syncDirectory(messagesDir);
  await removeLegacy(legacyFile, accountDir);
  logger.info(`message store: moved ${name} (${records.length} records, ${byConversation.size} conversations) to the per-conversation layout`);
  return records.length - unplaced.length;
}

/** Writes a new conversation log in one go: header, then the records with their watermarks. */
async function writeConversationLog(file: string, accountId: string, conversationId: string, records: readonly StoreRecord[]): Promise<void> {
  const lines = [conversationHeader(accountId, conversationId), ...withWatermarks(records, NO_WATERMARK)].map((r) => JSON.stringify(r));
  const handle = await fs.open(file, 'w');
  try {
    await writeAll(handle, Buffer.from(lines.join('\n') + '\n', 'utf8'));
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function removeLegacy(legacyFile: string, accountDir: string | undefined): Promise<void> {
  const legacyCorrupt = corruptFilePath(legacyFile);
  if (accountDir !== undefined && (await fileExists(legacyCorrupt)) && !(await fileExists(path.join(accountDir, LEGACY_CORRUPT_NAME)))) {
    await replaceFileDurably(path.join(accountDir, LEGACY_CORRUPT_NAME), await fs.readFile(legacyCorrupt));
  }
  await removeFileIfExists(`${legacyFile}.tmp`);
  await removeFileIfExists(legacyCorrupt);
  await removeFileIfExists(legacyFile);
  await syncDirectory(path.dirname(legacyFile));
}
