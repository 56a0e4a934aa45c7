// The spine's side of WhatsApp-style features, proven through the hub with the in-test adapter:
// quoted replies built from the store (never from what a pane says), pairing codes kept per account
// and checked before anything can show them, and audio files sent as audio.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChatMessage } from '../../../../src/shared/model';
import { pendingKey } from '../../../../src/shared/model';
import { isSafeQrDataUrl, MAX_QR_DATA_URL_LENGTH, type PairingChange } from '../../../../src/extension/core/inbox/pairingCode';
import { QUOTE_EXCERPT_LENGTH, ReplyError } from '../../../../src/extension/core/inbox/replyQuote';
import { mimeTypeOf, uploadKindFor } from '../../../../src/extension/host/uploadFileKind';
import { FakeAdapter, FakeVenueBackend } from '../../helpers/fakeVenue';
import { openHubRig, type HubRig } from '../../helpers/hubRig';
import { until } from '../../helpers/until';

const A = 'wa';
const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
const SVG = 'data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=';

describe('hub: quoted replies, pairing codes, audio uploads', () => {
  let rig: HubRig;
  let backend: FakeVenueBackend;
  let adapter: FakeAdapter;

  async function open(options: ConstructorParameters<typeof FakeAdapter>[1] = {}): Promise<void> {
    rig = await openHubRig();
    await rig.hub.load();
    backend = new FakeVenueBackend();
    adapter = new FakeAdapter(backend, { accountId: A, ...options, capabilities: { replies: true, ...options.capabilities } });
    await rig.hub.addAccount({ id: A, venue: 'bybit', label: 'WhatsApp test' }, adapter);
    adapter.announce('c1');
    adapter.announce('c2');
    await rig.hub.settled();
  }

  afterEach(async () => {
    await rig.close();
  });

  describe('quoted replies', () => {
    it('builds the quote from the stored message and puts it on the outbound and the pending message', async () => {
      await open();
      const asked = backend.add('c1', '  did you\n pay   the seller? ');
      await rig.hub.settled();
      const stored = rig.stored(A, 'c1').find((m) => m.venueMessageId === asked.id)!;
      const pending = await rig.hub.send({ accountId: A, conversationId: 'c1', kind: 'text', text: 'yes', clientMessageId: 'reply0001', replyTo: stored.key });
      const quote = { venueMessageId: asked.id, senderName: 'Counterparty', text: 'did you pay the seller?' };
      assert.deepEqual(pending.quote, quote, 'the pane shows the quote at once');
      await until(() => adapter.sent.length === 1);
      assert.deepEqual(adapter.sent[0]?.quote, quote);
      assert.equal(adapter.sent[0]?.text, 'yes');
    });

    it('quotes our own messages as ours (a flag, no name), clips long text, and labels media by kind', async () => {
      await open();
      await rig.hub.send({ accountId: A, conversationId: 'c1', kind: 'text', text: 'x'.repeat(500), clientMessageId: 'long0001' });
      await until(() => rig.stored(A, 'c1').some((m) => m.clientMessageId === 'long0001' && m.venueMessageId !== undefined));
      const own = rig.stored(A, 'c1').find((m) => m.clientMessageId === 'long0001')!;
      const image: ChatMessage = { key: 'bybit:wa:c1:img-1', venue: 'bybit', accountId: A, conversationId: 'c1', venueMessageId: 'img-1', direction: 'in', kind: 'image', text: 'receipt', senderName: 'Bob', time: Date.now() };
      adapter.emit({ type: 'messages', messages: [image], source: 'live' });
      await rig.hub.settled();
      const toOwn = await rig.hub.send({ accountId: A, conversationId: 'c1', kind: 'text', text: 'see above', clientMessageId: 'reply0002', replyTo: own.key });
      assert.equal(toOwn.quote?.fromUs, true);
      assert.equal(toOwn.quote?.senderName, undefined, 'no name a counterparty could also carry');
      assert.equal(toOwn.quote?.venueMessageId, own.venueMessageId);
      assert.equal([...(toOwn.quote?.text ?? '')].length, QUOTE_EXCERPT_LENGTH + 1, 'clipped, with an ellipsis');
      assert.ok(toOwn.quote?.text?.endsWith('…'));
      const toImage = await rig.hub.send({ accountId: A, conversationId: 'c1', kind: 'text', text: 'got it', clientMessageId: 'reply0003', replyTo: image.key });
      assert.deepEqual(toImage.quote, { venueMessageId: 'img-1', senderName: 'Bob', text: '[Image] receipt' });
    });

    it('refuses, with a clear error and nothing queued, a reply to another conversation, an unknown key, an unsent message, an event line, or on a venue without replies', async () => {
      await open();
      const other = backend.add('c2', 'in the other chat');
      await rig.hub.settled();
      const otherKey = rig.stored(A, 'c2').find((m) => m.venueMessageId === other.id)!.key;
      const send = (replyTo: string, id: string) => rig.hub.send({ accountId: A, conversationId: 'c1', kind: 'text', text: 'answer', clientMessageId: id, replyTo });
      await assert.rejects(send(otherKey, 'bad00001'), (err: unknown) => err instanceof ReplyError && /not in this conversation/.test(err.message));
      await assert.rejects(send('bybit:wa:c1:nope', 'bad00002'), /not in this conversation/);
      // Our own message before the venue gave it an id: nothing to quote yet.
      adapter.drop();
      await rig.hub.send({ accountId: A, conversationId: 'c1', kind: 'text', text: 'queued', clientMessageId: 'queued01' });
      await assert.rejects(send(pendingKey('bybit', A, 'c1', 'queued01'), 'bad00003'), /not reached the venue yet/);
      adapter.emit({ type: 'gap', conversationId: 'c1', from: 1000, to: 2000 });
      await rig.hub.settled();
      const gap = rig.stored(A, 'c1').find((m) => m.kind === 'gap')!;
      await assert.rejects(send(gap.key, 'bad00004'), /not events/);
      for (const id of ['bad00001', 'bad00002', 'bad00003', 'bad00004']) assert.equal(rig.outbox.get(id), undefined, `${id} was not queued`);
    });

    it('refuses replies where the venue cannot send them', async () => {
      await open({ capabilities: { replies: false } });
      const asked = backend.add('c1', 'hello');
      await rig.hub.settled();
      const key = rig.stored(A, 'c1').find((m) => m.venueMessageId === asked.id)!.key;
      await assert.rejects(rig.hub.send({ accountId: A, conversationId: 'c1', kind: 'text', text: 'hi', clientMessageId: 'noreply1', replyTo: key }), /cannot send replies/);
      assert.equal(rig.outbox.get('noreply1'), undefined);
    });
  });

  describe('pairing', () => {
    it('keeps the newest code per account, refuses a code that is not a base64 PNG/SVG data: URL, and ends with paired', async () => {
      await open();
      const changes: PairingChange[] = [];
      const sub = rig.hub.onPairing((c) => changes.push(c));
      assert.equal(rig.hub.pairing(A), undefined, 'never needed pairing');
      adapter.emit({ type: 'connectionState', state: { kind: 'pairing', reason: 'scan the code' } });
      adapter.emit({ type: 'pairing', state: 'needed', qrDataUrl: PNG, detail: 'Open WhatsApp' });
      await rig.hub.settled();
      assert.deepEqual(rig.hub.pairing(A), { state: 'needed', qrDataUrl: PNG, detail: 'Open WhatsApp' });
      adapter.emit({ type: 'pairing', state: 'needed', qrDataUrl: SVG });
      await rig.hub.settled();
      assert.deepEqual(rig.hub.pairing(A), { state: 'needed', qrDataUrl: SVG }, 'a new code replaces the last');
      // A status without a code keeps the episode's newest code.
      adapter.emit({ type: 'pairing', state: 'needed', detail: 'still waiting' });
      await rig.hub.settled();
      assert.deepEqual(rig.hub.pairing(A), { state: 'needed', qrDataUrl: SVG, detail: 'still waiting' });
      const badBefore = rig.hub.badInputCount;
      for (const bad of ['javascript:alert(1)', 'data:text/html;base64,PHNjcmlwdD4=', `${PNG}" onerror="x`, 'https://gw.example/qr.png']) {
        adapter.emit({ type: 'pairing', state: 'needed', qrDataUrl: bad });
      }
      await rig.hub.settled();
      assert.equal(rig.hub.badInputCount, badBefore + 4, 'each refused code is counted as bad input');
      const current = rig.hub.pairing(A);
      assert.ok(current?.state === 'needed' && current.qrDataUrl === SVG, 'a refused code never replaces a good one');
      adapter.emit({ type: 'pairing', state: 'paired' });
      await rig.hub.settled();
      assert.deepEqual(rig.hub.pairing(A), { state: 'paired' });
      assert.deepEqual(changes.map((c) => c.pairing?.state), ['needed', 'needed', 'needed', 'needed', 'needed', 'needed', 'needed', 'paired']);
      assert.ok(changes.every((c) => c.accountId === A));
      sub.dispose();
    });

    it('takes "online" as paired, and says so when the account is removed', async () => {
      await open();
      const changes: PairingChange[] = [];
      const sub = rig.hub.onPairing((c) => changes.push(c));
      adapter.emit({ type: 'pairing', state: 'needed', qrDataUrl: PNG });
      adapter.emit({ type: 'connectionState', state: { kind: 'online', since: Date.now() } });
      await rig.hub.settled();
      assert.deepEqual(rig.hub.pairing(A), { state: 'paired' });
      await rig.hub.removeAccount(A, { keepData: true });
      assert.deepEqual(changes.map((c) => c.pairing?.state), ['needed', 'paired', undefined]);
      assert.equal(rig.hub.pairing(A), undefined);
      sub.dispose();
    });

    it('accepts only base64 PNG or SVG data: URLs of bounded size as QR codes', () => {
      assert.equal(isSafeQrDataUrl(PNG), true);
      assert.equal(isSafeQrDataUrl(SVG), true);
      for (const bad of [
        undefined,
        42,
        '',
        'data:image/png;base64,',
        'data:image/jpeg;base64,AAAA',
        'data:image/svg+xml,<svg onload=alert(1)>',
        'data:image/png;base64,AAAA\n',
        'data:image/png;base64,AA AA',
        'DATA:image/png;base64,AAAA',
        `data:image/png;base64,${'A'.repeat(MAX_QR_DATA_URL_LENGTH)}`,
      ]) {
        assert.equal(isSafeQrDataUrl(bad), false, JSON.stringify(bad)?.slice(0, 60));
      }
    });
  });

  describe('audio uploads', () => {
    it('sends mp3/ogg/m4a/opus/wav as audio where the upload takes audio, and as a file where it takes only files', () => {
      const withAudio = { kinds: ['image', 'video', 'audio', 'file'] as const, maxBytes: 1 };
      const filesOnly = { kinds: ['image', 'file'] as const, maxBytes: 1 };
      for (const name of ['voice.mp3', 'ptt.ogg', 'memo.M4A', 'note.opus', 'take.wav']) {
        assert.match(mimeTypeOf(name), /^audio\//, name);
        assert.equal(uploadKindFor(withAudio, name), 'audio', name);
        assert.equal(uploadKindFor(filesOnly, name), 'file', name);
      }
      assert.equal(uploadKindFor(withAudio, 'statement.pdf'), 'file');
      assert.equal(uploadKindFor(filesOnly, 'photo.jpg'), 'image');
    });

    it('an audio file goes through the upload and the send as kind audio', async () => {
      await open({ capabilities: { upload: { kinds: ['image', 'audio', 'file'], maxBytes: 1_000_000 }, sendKinds: ['text', 'image', 'audio', 'file'] } });
      const path = join(rig.dir, 'note.opus');
      await writeFile(path, Buffer.from('OggS fake opus bytes'));
      const kind = uploadKindFor(adapter.capabilities.upload!, 'note.opus');
      const pending = await rig.hub.send({ accountId: A, conversationId: 'c1', kind, text: '', clientMessageId: 'audio001', file: { path, name: 'note.opus', mimeType: mimeTypeOf('note.opus'), size: 20, kind } });
      assert.equal(pending.kind, 'audio');
      assert.equal(pending.attachments?.[0]?.kind, 'audio');
      await until(() => adapter.sent.length === 1);
      assert.equal(adapter.sent[0]?.kind, 'audio');
      assert.equal(adapter.sent[0]?.attachment?.kind, 'audio');
      assert.equal(adapter.sent[0]?.attachment?.mimeType, 'audio/ogg');
      assert.equal(backend.uploads[0]?.name, 'note.opus');
    });
  });
});
