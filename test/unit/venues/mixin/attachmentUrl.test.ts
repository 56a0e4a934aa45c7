// Mixin's view links are pre-signed for a limited time: a file received an hour ago has a dead
// link in the store. The adapter's attachmentUrl asks Mixin (GET /attachments/:id) for a fresh one,
// and the downloader saves the very bytes the counterparty sent.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MixinEmulator } from '../../../../sandbox/mixin/emulator';
import type { ChatMessage } from '../../../../src/shared/model';
import { AttachmentDownloader } from '../../../../src/extension/core/download/attachmentDownload';
import { MixinAdapter } from '../../../../src/extension/venues/mixin/adapter';
import { botKeystore } from './sandboxBot';
import { VenueError } from '../../../../src/extension/venues/venue';
import { startMixin } from '../../sandbox/mixinHelpers';
import { until } from '../../helpers/until';

const A = 'mixin-acc';
const VIEW_TTL_MS = 600;

describe('Mixin: a fresh attachment link for downloads', function () {
  this.timeout(20_000);
  let mixin: MixinEmulator;
  let adapter: MixinAdapter;
  let dir: string;
  const received: ChatMessage[] = [];

  beforeEach(async () => {
    received.length = 0;
    mixin = await startMixin({ viewUrlTtlMs: VIEW_TTL_MS, pendingAtStart: false });
    adapter = new MixinAdapter({ accountId: A, keystore: botKeystore(mixin), endpoints: mixin.accounts()[0]!.endpoints, replyTimeoutMs: 1000, backoff: { baseMs: 50, maxMs: 300, minMs: 20 } });
    adapter.events((e) => {
      if (e.type === 'messages') received.push(...e.messages);
    });
    await adapter.start();
    dir = await mkdtemp(join(tmpdir(), 'venue-chat-mixin-download-'));
  });

  afterEach(async () => {
    await adapter.stop();
    adapter.dispose();
    await mixin.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a lapsed view link is replaced by a fresh one, and the saved bytes are the counterparty\'s', async () => {
    const id = mixin.inject({ conversationId: mixin.conversationOf(0), category: 'PLAIN_DATA' })['message_id']!;
    await until(() => received.some((m) => m.venueMessageId === id), 10_000, 'the file message');
    const message = received.find((m) => m.venueMessageId === id)!;
    const attachment = message.attachments![0]!;
    assert.equal(attachment.name, 'invoice-4411.pdf');
    assert.ok(attachment.ref && attachment.url && attachment.expiresAt, 'stored with its id, a view link and its expiry');
    await until(() => Date.now() > attachment.expiresAt! + 50, 5000, 'the stored link to lapse');
    assert.equal((await fetch(attachment.url)).status, 403, 'the stored link is dead');

    const fresh = await adapter.attachmentUrl(message, attachment);
    assert.notEqual(fresh, attachment.url);
    assert.equal((await fetch(fresh)).status, 200);

    const target = join(dir, 'invoice-4411.pdf');
    const saved = await new AttachmentDownloader().download({ message, index: 0, target, signal: new AbortController().signal, adapter });
    assert.equal(saved.source, 'venue-link');
    const bytes = await readFile(target);
    const atMixin = (mixin.attachments() as { attachmentId: string; size: number; sha256: string }[]).find((a) => a.attachmentId === attachment.ref)!;
    assert.equal(bytes.length, atMixin.size);
    assert.equal(createHash('sha256').update(bytes).digest('hex'), atMixin.sha256);
    assert.ok(mixin.requests({ kind: 'rest' }).some((r) => r.path === `/attachments/${attachment.ref}`), 'asked Mixin for the attachment');
  });

  it('refuses a message of another account, or an attachment without a Mixin id, without asking Mixin', async () => {
    const message: ChatMessage = { key: 'k', venue: 'mixin', accountId: A, conversationId: 'c', direction: 'in', kind: 'file', time: Date.now(), attachments: [{ kind: 'file', url: 'https://example.invalid/x' }] };
    await assert.rejects(adapter.attachmentUrl(message, message.attachments![0]!), (err: unknown) => err instanceof VenueError && err.kind === 'rejected');
    await assert.rejects(adapter.attachmentUrl({ ...message, accountId: 'other' }, { kind: 'file', ref: 'x' }), (err: unknown) => err instanceof VenueError && err.kind === 'rejected');
  });

  it('an attachment Mixin no longer has is a rejected VenueError', async () => {
    const message: ChatMessage = { key: 'k', venue: 'mixin', accountId: A, conversationId: 'c', direction: 'in', kind: 'file', time: Date.now() };
    await assert.rejects(adapter.attachmentUrl(message, { kind: 'file', ref: '00000000-0000-4000-8000-000000000000' }), (err: unknown) => err instanceof VenueError && err.kind === 'rejected');
  });
});
