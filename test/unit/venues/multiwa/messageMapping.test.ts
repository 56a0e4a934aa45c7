import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MultiwaMessageRow } from '../../../../src/extension/venues/multiwa/api';
import { outgoingStatusOf, toChatMessage, type MappingContext } from '../../../../src/extension/venues/multiwa/messageMapping';

const NOW = Date.parse('2026-12-01T10:00:00.000Z');
const CONV = '6f1c0d7e-2b7a-4d0c-9d57-1f2a3b4c5d6e';

function ctx(problems: string[] = [], mediaUrl: MappingContext['mediaUrl'] = (raw) => raw): MappingContext {
  return { accountId: 'acc', gatewayOrigin: 'http://127.0.0.1:3000', conversationName: 'Rina', now: NOW, mediaUrl, problems };
}

function row(fields: Partial<MultiwaMessageRow> & { type: string; content: unknown }): MultiwaMessageRow {
  return {
    id: 'a1b2c3d4-0000-4000-8000-000000000001',
    profileId: 'p1',
    conversationId: CONV,
    messageId: 'true_628123456789@c.us_3EB0ABC',
    direction: 'incoming',
    senderJid: '628123456789@s.whatsapp.net',
    status: 'received',
    metadata: { senderName: 'Rina K' },
    timestamp: '2026-12-01T09:58:00.000Z',
    ...fields,
  } as MultiwaMessageRow;
}

describe('MultiWA message rows -> model', () => {
  // Found by fuzzing MultiWA realtime message events (seed 790435418, path "2317"): a row of type
  // "constructor" read Object.prototype.constructor as its media kind, and the store refused the message.
  it('a type or status named like an object\'s own property (constructor, toString) is just an unknown word', () => {
    const problems: string[] = [];
    const m = toChatMessage(row({ type: 'constructor', content: { text: 'hi' }, direction: 'outgoing', status: 'toString' }), ctx(problems));
    assert.equal(m.kind, 'text');
    assert.equal(m.text, 'hi');
    assert.equal(m.status, 'confirmed');
    assert.equal(m.attachments, undefined);
  });

  // Found by fuzzing MultiWA realtime message events (seed 1239207529, path "84"): a poll option
  // longer than a stored field lost the whole message.
  it('a poll option too long to store is cut and reported; the poll is kept', () => {
    const problems: string[] = [];
    const m = toChatMessage(row({ type: 'poll', content: { question: 'which?', options: ['a', 'b'.repeat(9_000)] } }), ctx(problems));
    assert.equal(m.kind, 'poll');
    assert.deepEqual(m.payload?.type === 'poll' ? m.payload.options.map((o) => o.length) : [], [1, 8192]);
    assert.equal(problems.length, 1, problems.join('\n'));
  });

  it('keys a row by its row id (not the WhatsApp id, which changes), reads ISO time and the sender name', () => {
    const m = toChatMessage(row({ type: 'text', content: { text: 'Hello, is the order paid?' } }), ctx());
    assert.equal(m.key, `multiwa:acc:${CONV}:a1b2c3d4-0000-4000-8000-000000000001`);
    assert.equal(m.venueMessageId, 'a1b2c3d4-0000-4000-8000-000000000001');
    assert.equal(m.direction, 'in');
    assert.equal(m.kind, 'text');
    assert.equal(m.text, 'Hello, is the order paid?');
    assert.equal(m.time, Date.parse('2026-12-01T09:58:00.000Z'));
    assert.equal(m.senderName, 'Rina K');
  });

  it('our rows are outgoing with the ack state as status; failed rows say so', () => {
    const sent = toChatMessage(row({ type: 'text', direction: 'outgoing', status: 'delivered', content: { text: 'on my way' } }), ctx());
    assert.equal(sent.direction, 'out');
    assert.equal(sent.status, 'delivered');
    assert.equal(sent.senderName, undefined);
    const failed = toChatMessage(row({ type: 'text', direction: 'outgoing', status: 'failed', content: { text: 'x' } }), ctx());
    assert.equal(failed.status, 'failed');
    assert.match(failed.failure ?? '', /could not send/);
    assert.deepEqual(['pending', 'queued', 'sent', 'delivered', 'read', 'played', 'failed', 'weird'].map(outgoingStatusOf), ['sent', 'sent', 'confirmed', 'delivered', 'read', 'read', 'failed', undefined]);
  });

  it('media: the engine\'s fields (caption, mimetype, filename, data: URL) and ours (url, ptt, seconds)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mwa-media-'));
    try {
      const saved: string[] = [];
      const toFile: MappingContext['mediaUrl'] = (raw) => {
        if (!raw.startsWith('data:')) return raw;
        saved.push(raw);
        return `file://${dir}/saved.jpg`;
      };
      const image = toChatMessage(row({ type: 'image', content: { caption: 'proof', mimetype: 'image/jpeg', url: 'data:image/jpeg;base64,/9j/4AAQ', hasMedia: true } }), ctx([], toFile));
      assert.equal(image.kind, 'image');
      assert.equal(image.text, 'proof');
      assert.deepEqual(image.attachments?.[0], { kind: 'image', url: `file://${dir}/saved.jpg`, mimeType: 'image/jpeg' });
      assert.equal(saved.length, 1);

      const voice = toChatMessage(row({ type: 'ptt', content: { mimetype: 'audio/ogg; codecs=opus', url: 'https://gw.example/media/v.ogg', seconds: 7 } }), ctx());
      assert.equal(voice.kind, 'audio');
      assert.equal(voice.attachments?.[0]?.voiceNote, true);
      assert.equal(voice.attachments?.[0]?.durationMs, 7000);

      const doc = toChatMessage(row({ type: 'document', direction: 'outgoing', status: 'sent', content: { url: '/uploads/x/invoice.pdf', filename: 'invoice.pdf', caption: 'the invoice', mimetype: 'application/pdf' } }), ctx());
      assert.equal(doc.kind, 'file');
      assert.equal(doc.attachments?.[0]?.url, 'http://127.0.0.1:3000/uploads/x/invoice.pdf', 'relative URLs resolve against the gateway');
      assert.equal(doc.attachments?.[0]?.name, 'invoice.pdf');
      assert.equal(doc.text, 'the invoice');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses media links that are not http(s) or inline data, and keeps the message', () => {
    const problems: string[] = [];
    const m = toChatMessage(row({ type: 'image', content: { url: 'javascript:alert(1)', caption: 'look' } }), ctx(problems));
    assert.equal(m.kind, 'image');
    assert.equal(m.attachments?.[0]?.url, undefined);
    assert.equal(m.text, 'look');
    assert.match(problems.join('\n'), /unusable URL/);
  });

  it('location, contact (our contacts list or the engine\'s vCard), poll and reaction', () => {
    const loc = toChatMessage(row({ type: 'location', content: { latitude: '-6.2', longitude: 106.8166, description: 'Monas', name: 'Monas' } }), ctx());
    assert.deepEqual(loc.payload, { type: 'location', latitude: -6.2, longitude: 106.8166, name: 'Monas' });

    const ours = toChatMessage(row({ type: 'contact', direction: 'outgoing', content: { contacts: [{ displayName: 'Budi', vcard: 'BEGIN:VCARD\nVERSION:3.0\nFN:Budi\nTEL;type=CELL:+62 812 3456\nEND:VCARD' }], name: 'Budi', phone: '+628123456' } }), ctx());
    assert.deepEqual(ours.payload, { type: 'contact', contacts: [{ name: 'Budi', phone: '+62 812 3456' }] });
    const theirs = toChatMessage(row({ type: 'vcard', content: { vcard: 'BEGIN:VCARD\nFN:Sari\nTEL:+628777\nEMAIL:sari@example.com\nEND:VCARD', displayName: 'Sari' } }), ctx());
    assert.deepEqual(theirs.payload, { type: 'contact', contacts: [{ name: 'Sari', phone: '+628777', email: 'sari@example.com' }] });

    const poll = toChatMessage(row({ type: 'poll_creation', content: { pollName: 'Which bank?', pollOptions: [{ name: 'BCA' }, { name: 'Mandiri' }], allowMultipleAnswers: false } }), ctx());
    assert.deepEqual(poll.payload, { type: 'poll', question: 'Which bank?', options: ['BCA', 'Mandiri'], allowMultipleAnswers: false });

    const reaction = toChatMessage(row({ type: 'reaction', content: { emoji: '👍', messageId: 'true_x_3EB0' } }), ctx());
    assert.deepEqual(reaction.payload, { type: 'reaction', emoji: '👍', targetVenueMessageId: 'true_x_3EB0' });
  });

  it('a quoted reply carries what is known of the quoted row; unreadable structures fall back to text', () => {
    const problems: string[] = [];
    const reply = toChatMessage(row({ type: 'text', quotedMessageId: 'row-9', content: { text: 'yes, paid' } }), { ...ctx(problems), quoted: (id) => (id === 'row-9' ? { venueMessageId: 'row-9', fromUs: true, text: 'did you pay?' } : undefined) });
    assert.deepEqual(reply.quote, { venueMessageId: 'row-9', fromUs: true, text: 'did you pay?' });
    const badLoc = toChatMessage(row({ type: 'location', content: { latitude: 200, longitude: 'x', text: 'somewhere' } }), ctx(problems));
    assert.equal(badLoc.kind, 'text');
    assert.equal(badLoc.text, 'somewhere');
    const unknown = toChatMessage(row({ type: 'event_creation', content: {} }), ctx(problems));
    assert.equal(unknown.kind, 'text');
    assert.equal(unknown.text, '[event_creation]');
    const revoked = toChatMessage(row({ type: 'revoked', content: {} }), ctx(problems));
    assert.equal(revoked.recalled, true);
    const system = toChatMessage(row({ type: 'e2e_notification', content: {} }), ctx(problems));
    assert.equal(system.direction, 'system');
    assert.match(problems.join('\n'), /location without usable coordinates/);
  });

  it('a bad timestamp is reported and shown at arrival; content stored as a JSON string is read', () => {
    const problems: string[] = [];
    const m = toChatMessage(row({ type: 'text', timestamp: 'yesterday', content: JSON.stringify({ text: 'hi' }) }), ctx(problems));
    assert.equal(m.time, NOW);
    assert.equal(m.text, 'hi');
    assert.match(problems[0] ?? '', /timestamp/);
  });

  it('a data: media URL through the adapter\'s saver lands in the account folder once', async () => {
    const { MultiwaAdapter } = await import('../../../../src/extension/venues/multiwa/adapter');
    const { apiKeyAuth } = await import('../../../../src/extension/venues/multiwa/auth');
    const dir = mkdtempSync(join(tmpdir(), 'mwa-adapter-'));
    const adapter = new MultiwaAdapter({ accountId: 'acc', baseUrl: 'http://127.0.0.1:9', auth: apiKeyAuth('k'), profileId: 'p1', mediaDir: dir });
    try {
      const bytes = Buffer.from('not really a jpeg');
      const saver = (adapter as unknown as { mediaUrl(raw: string, mime: string | undefined, problems: string[]): string | undefined }).mediaUrl.bind(adapter);
      const url = saver(`data:image/jpeg;base64,${bytes.toString('base64')}`, undefined, []);
      assert.ok(url?.startsWith('file://'));
      assert.deepEqual(readFileSync(fileURLToPath(url!)), bytes);
      assert.equal(saver(`data:image/jpeg;base64,${bytes.toString('base64')}`, undefined, []), url, 'the same bytes map to the same file');
      const problems: string[] = [];
      assert.equal(saver('data:text/html,<script>1</script>', undefined, problems), undefined);
      assert.match(problems[0] ?? '', /not base64/);
    } finally {
      adapter.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
