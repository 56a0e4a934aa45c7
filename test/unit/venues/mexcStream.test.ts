import assert from 'node:assert/strict';
import * as z from 'zod';
import { PING_FRAME, decodeFrame, encodeSend, parseMexcTime } from '../../../src/extension/venues/mexc/stream';

describe('MEXC chat codec', () => {
  it('double-encodes SEND_MESSAGE params as a JSON string holding JSON', () => {
    const frame = JSON.parse(encodeSend({ conversationId: 50012, type: 2, content: 'receipt', imageUrl: 'https://x/a.png' })) as { method: string; params: unknown };
    assert.equal(frame.method, 'SEND_MESSAGE');
    assert.equal(typeof frame.params, 'string');
    assert.deepEqual(JSON.parse(frame.params as string), { content: 'receipt', conversationId: 50012, type: 2, imageUrl: 'https://x/a.png', imageThumbUrl: '', videoUrl: '', fileUrl: '' });
    assert.equal(PING_FRAME, '{"method":"PING"}');
  });

  it('decodes the documented RECEIVE_MESSAGE push', () => {
    const text = '{"success":true,"msg":"success","method":"RECEIVE_MESSAGE","data":"{\\"id\\":1,\\"content\\":\\"hello\\",\\"conversationId\\":50012,\\"type\\":1,\\"createTime\\":\\"2025-01-26 12:00:00\\",\\"self\\":false,\\"fromUserId\\":\\"abc123\\",\\"fromNickName\\":\\"Counterparty\\"}"}';
    const frame = decodeFrame(text);
    assert.equal(frame.kind, 'message');
    if (frame.kind !== 'message') return;
    assert.equal(frame.message.id, '1');
    assert.equal(frame.message.conversationId, '50012');
    assert.equal(frame.message.content, 'hello');
    assert.equal(frame.message.self, false);
    assert.equal(frame.message.fromNickName, 'Counterparty');
    assert.equal(frame.message.imageUrl, '');
  });

  it('recognises the PONG and SEND_MESSAGE replies', () => {
    assert.deepEqual(decodeFrame('{"success":true,"method":"PING","msg":"success","data":"PONG"}'), { kind: 'pong' });
    assert.deepEqual(decodeFrame('{"success":false,"method":"SEND_MESSAGE","msg":"imageUrl required"}'), { kind: 'reply', method: 'SEND_MESSAGE', success: false, msg: 'imageUrl required' });
  });

  it('reports malformed frames instead of throwing', () => {
    const bad = [
      'not json',
      '[1,2,3]',
      '{"method":"RECEIVE_MESSAGE","data":"{broken"}',
      '{"method":"RECEIVE_MESSAGE","data":"{\\"id\\":\\"x\\",\\"type\\":1}"}',
      '{"method":"RECEIVE_MESSAGE","data":{"id":1,"conversationId":2,"type":9,"createTime":"x","self":false}}',
      '{"method":"RECEIVE_MESSAGE","data":{"id":1,"conversationId":2,"type":1,"createTime":"x","self":"yes"}}',
      '{"hello":"world"}',
      '"just a string"',
      'null',
    ];
    for (const text of bad) {
      const frame = decodeFrame(text);
      assert.equal(frame.kind, 'invalid', text);
    }
  });

  it('accepts data as an object too, and numeric strings for ids (defensive: docs/venue-protocols.md)', () => {
    const frame = decodeFrame('{"method":"RECEIVE_MESSAGE","data":{"id":"7","conversationId":"9","type":1,"createTime":"2025-01-26 12:00:00","self":true,"content":null}}');
    assert.equal(frame.kind, 'message');
    if (frame.kind === 'message') {
      assert.equal(frame.message.id, '7');
      assert.equal(frame.message.content, '');
    }
  });

  it('reads the zone-less createTime in the configured offset', () => {
    assert.equal(parseMexcTime('2025-01-26 12:00:00', 480), Date.UTC(2025, 0, 26, 4, 0, 0));
    assert.equal(parseMexcTime('2025-01-26 12:00:00', 0), Date.UTC(2025, 0, 26, 12, 0, 0));
    assert.equal(parseMexcTime('26/01/2025', 480), undefined);
    // Repeats (a burst shares its createTime) read the same; the offset still counts.
    assert.equal(parseMexcTime('26/01/2025', 480), undefined);
    assert.equal(parseMexcTime('2025-01-26 12:00:01', 480), Date.UTC(2025, 0, 26, 4, 0, 1));
    assert.equal(parseMexcTime('2025-01-26 12:00:01', 480), Date.UTC(2025, 0, 26, 4, 0, 1));
    assert.equal(parseMexcTime('2025-01-26 12:00:01', 60), Date.UTC(2025, 0, 26, 11, 0, 1));
  });
});

describe('MEXC chat codec: the hand-written RECEIVE_MESSAGE check', () => {
  // The schema the decoder replaced (it was too slow for the push path): the decoder must accept
  // exactly what it accepted and read the same values.
  const optionalText = z.string().nullish().transform((v) => v ?? '');
  const idSchema = z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform((v) => String(v));
  const reference = z.object({
    id: idSchema,
    content: optionalText,
    conversationId: idSchema,
    type: z.number().int().min(1).max(4),
    imageUrl: optionalText,
    imageThumbUrl: optionalText,
    videoUrl: optionalText,
    fileUrl: optionalText,
    createTime: z.string(),
    self: z.boolean(),
    fromUserId: optionalText,
    fromNickName: optionalText,
  });
  const base: Record<string, unknown> = {
    id: 1,
    content: 'hi',
    conversationId: 50012,
    type: 1,
    imageUrl: '',
    imageThumbUrl: '',
    videoUrl: '',
    fileUrl: '',
    createTime: '2025-01-26 12:00:00',
    self: false,
    fromUserId: 'u',
    fromNickName: 'n',
  };
  const values: unknown[] = [undefined, null, '', 'x', '12', '007', '-1', ' 1', '1.5', 0, -5, 1, 4, 5, 1.5, 2 ** 53, 1e21, true, false, [], {}, ['1']];

  it('accepts and reads exactly what the previous schema did, field by field', () => {
    let accepted = 0;
    let refused = 0;
    for (const field of Object.keys(base)) {
      for (const value of values) {
        const inner = { ...base, [field]: value };
        if (value === undefined) delete inner[field];
        const expected = reference.safeParse(inner);
        // `data` comes as a JSON string (the documented form) or as an object.
        for (const data of [JSON.stringify(inner), inner]) {
          const frame = decodeFrame(JSON.stringify({ method: 'RECEIVE_MESSAGE', data }));
          const label = `${field} = ${String(JSON.stringify(value))} (data as ${typeof data})`;
          if (expected.success) {
            assert.equal(frame.kind, 'message', label);
            if (frame.kind === 'message') assert.deepEqual({ ...frame.message }, expected.data, label);
            accepted++;
          } else {
            assert.equal(frame.kind, 'invalid', label);
            if (frame.kind === 'invalid') assert.match(frame.detail, new RegExp(`^RECEIVE_MESSAGE has bad fields: ${field} `), label);
            refused++;
          }
        }
      }
    }
    assert.ok(accepted > 20 && refused > 100, `both sides covered (${accepted} accepted, ${refused} refused)`);
  });

  it('ignores unknown fields and refuses data that is not an object', () => {
    const frame = decodeFrame(JSON.stringify({ method: 'RECEIVE_MESSAGE', data: { ...base, extra: { deep: true } } }));
    assert.equal(frame.kind, 'message');
    if (frame.kind === 'message') assert.equal('extra' in frame.message, false);
    for (const data of [null, 1, 'null', '[1]', [base], '"text"']) {
      const bad = decodeFrame(JSON.stringify({ method: 'RECEIVE_MESSAGE', data }));
      assert.equal(bad.kind, 'invalid', JSON.stringify(data));
    }
    assert.equal(decodeFrame('{"method":"RECEIVE_MESSAGE"}').kind, 'invalid', 'no data at all');
  });

  it('refuses envelopes whose method, success or msg have the wrong type', () => {
    for (const text of ['{"method":null}', '{"method":1,"success":true}', '{"method":"SEND_MESSAGE","success":"true"}', '{"method":"SEND_MESSAGE","success":false,"msg":5}']) {
      const frame = decodeFrame(text);
      assert.equal(frame.kind, 'invalid', text);
      if (frame.kind === 'invalid') assert.match(frame.detail, /^not an envelope/);
    }
    assert.deepEqual(decodeFrame('{"success":false,"msg":"rate limited"}'), { kind: 'reply', method: '', success: false, msg: 'rate limited' });
  });
});

