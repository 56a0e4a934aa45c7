// What a Mixin message names by id is filled in for the pane: a contact card's user gets a name.
// Stickers: a received one shows its picture (GET /stickers/:id, asked once per sticker), and the
// stickers the account saw are offered to send again, kept in the account state. Sticker ids from a
// counterparty are untrusted: a malformed one is shown but never offered.
import assert from 'node:assert/strict';
import type { Sandbox } from '../../../../sandbox/index';
import { STICKER_ID } from '../../../../sandbox/mixin/content';
import type { MixinEmulator } from '../../../../sandbox/mixin/emulator';
import type { AccountStateStore } from '../../../../src/extension/venues/descriptor';
import { MixinAdapter } from '../../../../src/extension/venues/mixin/adapter';
import type { MixinKeystore } from '../../../../src/extension/venues/mixin/keystore';
import { startSandboxBot } from './sandboxBot';
import type { ChatMessage } from '../../../../src/shared/model';
import { until } from '../../helpers/until';

class MemoryState implements AccountStateStore {
  readonly values = new Map<string, unknown>();
  get(key: string): unknown {
    return this.values.get(key);
  }
  set(key: string, value: unknown): Promise<void> {
    this.values.set(key, JSON.parse(JSON.stringify(value)));
    return Promise.resolve();
  }
  delete(key: string): Promise<void> {
    this.values.delete(key);
    return Promise.resolve();
  }
}

describe('Mixin: stickers and contact cards filled in', function () {
  this.timeout(20_000);
  let sandbox: Sandbox;
  let mixin: MixinEmulator;
  let keystore: MixinKeystore;
  const adapters: MixinAdapter[] = [];

  const make = (state: AccountStateStore) => {
    const adapter = new MixinAdapter({ accountId: 'acc', keystore, endpoints: mixin.accounts()[0]!.endpoints, state, replyTimeoutMs: 1000, ackDelayMs: 20 });
    adapters.push(adapter);
    return adapter;
  };

  beforeEach(async () => {
    ({ sandbox, mixin, keystore } = await startSandboxBot());
  });

  afterEach(async () => {
    for (const a of adapters.splice(0)) a.dispose();
    await sandbox.close();
  });

  it('a received sticker has its picture, is offered again (kept across restarts), and a malformed id is not offered', async () => {
    const state = new MemoryState();
    const adapter = make(state);
    const received: ChatMessage[] = [];
    adapter.events((e) => {
      if (e.type === 'messages') received.push(...e.messages);
    });
    await adapter.start();
    const conversationId = mixin.conversationOf(0);
    mixin.inject({ conversationId, category: 'PLAIN_STICKER', data: { sticker_id: STICKER_ID, name: 'thumbs-up' } });
    mixin.inject({ conversationId, category: 'PLAIN_STICKER', data: { sticker_id: STICKER_ID } });
    mixin.inject({ conversationId, category: 'PLAIN_STICKER', data: { sticker_id: '"><img src=x onerror=alert(1)>' } });
    mixin.inject({ conversationId, category: 'PLAIN_STICKER', data: { name: 'hello', album_id: '6b1f2e4d-8e3c-4d9f-8a72-3c4d5e6f7081' } });
    await until(() => received.filter((m) => m.kind === 'sticker').length === 4, 10_000, 'four stickers');

    // Lookups run concurrently, so the events may come in any order: pick them by content.
    const stickers = received.filter((m) => m.kind === 'sticker').map((m) => (m.payload?.type === 'sticker' ? m.payload : undefined)!);
    const byId = stickers.filter((p) => p.stickerId === STICKER_ID);
    const hostile = stickers.find((p) => p.stickerId?.includes('onerror'));
    const named = stickers.find((p) => p.stickerId === undefined);
    assert.equal(byId.length, 2);
    const picture = byId[0]!.url;
    assert.match(picture ?? '', /^http:\/\/127\.0\.0\.1:\d+\/.+\.png$/, 'the picture from GET /stickers/:id');
    assert.equal(byId[1]!.url, picture);
    assert.equal(mixin.requests().filter((r) => r.path === `/stickers/${STICKER_ID}`).length, 1, 'asked once for the same sticker');
    assert.equal(hostile?.stickerId, '"><img src=x onerror=alert(1)>', 'shown as it came (the pane renders it as text)');
    assert.deepEqual(named, { type: 'sticker', name: 'hello', albumId: '6b1f2e4d-8e3c-4d9f-8a72-3c4d5e6f7081' });

    const offered = adapter.recentStickers();
    assert.equal(offered.length, 2, 'one entry per sticker, the malformed id left out');
    assert.deepEqual(offered.find((o) => o.stickerId === STICKER_ID), { stickerId: STICKER_ID, name: 'thumbs-up', url: picture });
    assert.deepEqual(offered.find((o) => o.stickerId === undefined), { name: 'hello', albumId: '6b1f2e4d-8e3c-4d9f-8a72-3c4d5e6f7081' });
    adapter.dispose();
    assert.deepEqual(make(state).recentStickers(), offered, 'kept in the account state');
  });

  it('a sticker sent goes out in the form it is named by, and joins the recent ones', async () => {
    const adapter = make(new MemoryState());
    await adapter.start();
    await until(() => adapter.state.kind === 'online', 10_000, 'online');
    const conversationId = mixin.conversationOf(0);
    await adapter.sendBatch([
      { clientMessageId: 'sticker0001', conversationId, kind: 'sticker', text: '', attempt: 0, composedAt: 1, payload: { type: 'sticker', stickerId: STICKER_ID } },
      { clientMessageId: 'sticker0002', conversationId, kind: 'sticker', text: '', attempt: 0, composedAt: 2, payload: { type: 'sticker', name: 'hello', albumId: '6b1f2e4d-8e3c-4d9f-8a72-3c4d5e6f7081' } },
    ]);
    const ours = mixin.messages(conversationId).filter((m) => m['user_id'] === keystore.appId && m['category'] === 'PLAIN_STICKER');
    assert.deepEqual(ours.map((m) => JSON.parse(Buffer.from(m['data']!, 'base64').toString('utf8'))), [{ sticker_id: STICKER_ID }, { name: 'hello', album_id: '6b1f2e4d-8e3c-4d9f-8a72-3c4d5e6f7081' }]);
    assert.deepEqual(adapter.recentStickers().map((s) => s.stickerId ?? s.name), ['hello', STICKER_ID]);
  });

  it("a contact card shows the named user's name (GET /users/:id); an unknown user stays an id", async () => {
    const adapter = make(new MemoryState());
    const received: ChatMessage[] = [];
    adapter.events((e) => {
      if (e.type === 'messages') received.push(...e.messages);
    });
    await adapter.start();
    const conversationId = mixin.conversationOf(0);
    const other = mixin.conversationOf(1);
    const userOf = () => mixin.messages(other).find((m) => m['user_id'] !== keystore.appId)?.['user_id'];
    await until(() => userOf() !== undefined, 5000, 'a user who wrote to the bot');
    const known = userOf()!;
    mixin.inject({ conversationId, category: 'PLAIN_CONTACT', data: { user_id: known } });
    mixin.inject({ conversationId, category: 'PLAIN_CONTACT', data: { user_id: '00000000-0000-4000-8000-000000000000' } });
    await until(() => received.filter((m) => m.kind === 'contact').length === 2, 10_000, 'two contact cards');
    const cards = received.filter((m) => m.kind === 'contact').map((m) => (m.payload?.type === 'contact' ? m.payload.contacts[0] : undefined));
    const named = cards.find((c) => c?.userId === known);
    assert.ok(named?.name && named.name.length > 0, 'the known user has a name');
    assert.deepEqual(cards.find((c) => c?.userId?.startsWith('00000000')), { userId: '00000000-0000-4000-8000-000000000000' });
  });
});
