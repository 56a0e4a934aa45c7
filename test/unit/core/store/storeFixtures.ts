// Shared by the store tests: message builders and a log-file opener that counts fdatasync calls
// per file and can fail or hold writes, to prove group commit and failure handling.
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { accountDirName, conversationLogName } from '../../../../src/extension/core/store/storeFileNames';
import type { OpenLogFile } from '../../../../src/extension/core/store/appendLog';
import { messageKey, pendingKey } from '../../../../src/shared/model';
import type { ChatMessage } from '../../../../src/shared/model';

export const ACC = 'acc-1';
export const CONV = 'order-1';

export function incoming(id: string, time: number, extra: Partial<ChatMessage> = {}): ChatMessage {
  return {
    key: messageKey('mexc', extra.accountId ?? ACC, extra.conversationId ?? CONV, id),
    venue: 'mexc',
    accountId: ACC,
    conversationId: CONV,
    venueMessageId: id,
    direction: 'in',
    kind: 'text',
    text: `text ${id}`,
    time,
    ...extra,
  };
}

/** Our own message as the outbox first stores it: keyed by the client id, no venue id yet. */
export function outgoing(clientId: string, time: number, extra: Partial<ChatMessage> = {}): ChatMessage {
  return {
    key: pendingKey('mexc', extra.accountId ?? ACC, extra.conversationId ?? CONV, clientId),
    venue: 'mexc',
    accountId: ACC,
    conversationId: CONV,
    clientMessageId: clientId,
    direction: 'out',
    kind: 'text',
    text: `sent ${clientId}`,
    time,
    status: 'queued',
    ...extra,
  };
}

export interface LogFileProbe {
  readonly openLogFile: OpenLogFile;
  /** fdatasync calls by log path under `messages/` (see `logName`). */
  readonly datasyncs: Map<string, number>;
  totalDatasyncs(): number;
  /** The next this-many writes (to files whose name passes `failOnly`) write half their bytes, then fail. */
  failWrites: number;
  failCode: string;
  failOnly: (fileName: string) => boolean;
  /** While set, fdatasync waits for it (a write in flight). */
  hold: Promise<void> | undefined;
}

export function logFileProbe(): LogFileProbe {
  const probe: LogFileProbe = {
    datasyncs: new Map(),
    totalDatasyncs: () => [...probe.datasyncs.values()].reduce((a, b) => a + b, 0),
    failWrites: 0,
    failCode: 'ENOSPC',
    failOnly: () => true,
    hold: undefined,
    openLogFile: async (path, flags) => wrap(await open(path, flags), `${basename(dirname(path))}/${basename(path)}`),
  };

  function wrap(handle: FileHandle, name: string): FileHandle {
    const datasync = async (): Promise<void> => {
      probe.datasyncs.set(name, (probe.datasyncs.get(name) ?? 0) + 1);
      if (probe.hold) await probe.hold;
      return handle.datasync();
    };
    const write = async (data: Uint8Array, offset: number, length: number, position: number | null): Promise<{ bytesWritten: number; buffer: Uint8Array }> => {
      if (probe.failWrites > 0 && probe.failOnly(name)) {
        probe.failWrites--;
        await handle.write(data, offset, Math.floor(length / 2), position);
        throw Object.assign(new Error(`${probe.failCode}: simulated`), { code: probe.failCode });
      }
      return handle.write(data, offset, length, position);
    };
    return new Proxy(handle, {
      get(target, prop) {
        if (prop === 'datasync') return datasync;
        if (prop === 'write') return write;
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  }
  return probe;
}

/** A promise and the function that settles it. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** A conversation log's path under `messages/`: `<account>/<conversation>.jsonl`. */
export function logName(accountId = ACC, conversationId = CONV): string {
  return `${accountDirName(accountId)}/${conversationLogName(conversationId)}`;
}
