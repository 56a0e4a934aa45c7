// The host's delivery core without VS Code: a store, an outbox and the inbox hub in a temp
// directory, composed as the extension composes them (core/deliveryCore.ts). Tests that judge
// "nothing lost, nothing doubled" judge it here, where the user's view of a conversation comes from.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChatMessage } from '../../../src/shared/model';
import { openDeliveryCore } from '../../../src/extension/core/deliveryCore';
import type { InboxHub } from '../../../src/extension/core/inbox/inboxHub';
import { silentLogger } from '../../../src/extension/core/logger';
import type { MessageStore } from '../../../src/extension/core/store/messageStore';
import type { Outbox } from '../../../src/extension/core/delivery/outbox';

export interface HubRig {
  readonly dir: string;
  readonly store: MessageStore;
  readonly outbox: Outbox;
  readonly hub: InboxHub;
  /** Every stored message of a conversation, oldest first. */
  stored(accountId: string, conversationId: string): ChatMessage[];
  close(): Promise<void>;
}

export async function openHubRig(options: { evidenceWaitMs?: number; confirmWaitMs?: number } = {}): Promise<HubRig> {
  const dir = await mkdtemp(join(tmpdir(), 'hub-rig-'));
  const { store, outbox, hub, close } = await openDeliveryCore({
    storageDir: dir,
    logger: silentLogger,
    evidenceWaitMs: options.evidenceWaitMs ?? 300,
    confirmWaitMs: options.confirmWaitMs ?? 500,
  });
  return {
    dir,
    store,
    outbox,
    hub,
    stored: (accountId, conversationId) => store.page(accountId, conversationId, { limit: 10_000 }).messages,
    async close() {
      await hub.settled();
      await close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
