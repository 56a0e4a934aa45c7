// The delivery core as the extension composes it: the message store, the outbox and the inbox hub
// over one storage folder. The extension host opens it at activation; the chaos soak opens the same
// composition in a process it can kill, so what it proves is what the extension runs.
import { join } from 'node:path';
import type { Clock } from './clock';
import { Outbox } from './delivery/outbox';
import { InboxHub } from './inbox/inboxHub';
import type { Logger } from './logger';
import { MessageStore } from './store/messageStore';

export interface DeliveryCore {
  readonly store: MessageStore;
  readonly outbox: Outbox;
  readonly hub: InboxHub;
  /** What opening repaired (a torn last record after a crash, a corrupt line), for the user to hear of. */
  readonly storeProblems: readonly string[];
  readonly outboxProblems: readonly string[];
  /** Stops the hub and the outbox, then closes the store (conversation metadata flushed first). */
  close(): Promise<void>;
}

export interface DeliveryCoreOptions {
  readonly storageDir: string;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** The outbox's waits for venue evidence (tests shorten them; the defaults are the product's). */
  readonly evidenceWaitMs?: number;
  readonly confirmWaitMs?: number;
}

export async function openDeliveryCore({ storageDir, logger, clock, evidenceWaitMs, confirmWaitMs }: DeliveryCoreOptions): Promise<DeliveryCore> {
  const store = await MessageStore.open(join(storageDir, 'store'), logger);
  // The outbox and the hub need each other; the hub is created right after the outbox.
  const late: { hub?: InboxHub } = {};
  let outbox: Outbox | undefined;
  try {
    const opened = await Outbox.open(join(storageDir, 'outbox.jsonl'), {
      store,
      adapterFor: (id) => late.hub?.adapter(id),
      isReady: (id) => late.hub?.isReady(id) ?? false,
      logger,
      ...(clock ? { clock } : {}),
      ...(evidenceWaitMs !== undefined ? { evidenceWaitMs } : {}),
      ...(confirmWaitMs !== undefined ? { confirmWaitMs } : {}),
    });
    const ready = opened.outbox;
    outbox = ready;
    const hub = new InboxHub({ store, outbox: ready, conversationsFile: join(storageDir, 'conversations.json'), logger, ...(clock ? { clock } : {}) });
    late.hub = hub;
    await hub.load();
    return {
      store,
      outbox: ready,
      hub,
      storeProblems: store.recovery.problems,
      outboxProblems: opened.problems,
      async close() {
        await hub.close();
        ready.dispose();
        await store.close();
      },
    };
  } catch (err) {
    late.hub?.dispose();
    outbox?.dispose();
    await store.close();
    throw err;
  }
}
