// Locations and contacts typed by the user or passed by a script: the same checks for both, and the
// message each becomes.
import assert from 'node:assert/strict';
import { stickerMessage, contactMessage, coordinateProblem, locationMessage, phoneProblem, structuredSchemas } from '../../../src/extension/host/structuredMessages';

const { sendStickerArgs: sendStickerArgsSchema, sendContactArgs: sendContactArgsSchema, sendLocationArgs: sendLocationArgsSchema } = structuredSchemas();

const TARGET = { accountId: 'acc-1', conversationId: 'c1' };

describe('structured messages (location, contact)', () => {
  it('checks coordinates as decimal degrees within range', () => {
    for (const ok of ['48.8566', '-90', '90', '+12.5', '.5', '0']) assert.equal(coordinateProblem(ok, 'latitude'), undefined, ok);
    for (const ok of ['-180', '179.9999', '2.3522']) assert.equal(coordinateProblem(ok, 'longitude'), undefined, ok);
    assert.match(coordinateProblem('90.0001', 'latitude') ?? '', /between -90 and 90/);
    assert.match(coordinateProblem('-181', 'longitude') ?? '', /between -180 and 180/);
    for (const bad of ['', 'north', '48°51′', '1e2', '4 8', '48,85', 'NaN', 'Infinity']) assert.ok(coordinateProblem(bad, 'latitude'), bad);
  });

  it('checks phone numbers: 7 to 15 digits, +, spaces and dashes allowed', () => {
    for (const ok of ['+44 20 7946 0958', '555-0100-12', '1234567', '+123456789012345']) assert.equal(phoneProblem(ok), undefined, ok);
    assert.match(phoneProblem('123456') ?? '', /7 to 15 digits \(this one has 6\)/);
    assert.match(phoneProblem('+1234567890123456') ?? '', /this one has 16/);
    for (const bad of ['', '++44 123 4567', '(020) 7946 0958', '020.7946.0958', 'call me', '+44 20 7946 0958 ext 2', '- 1234567']) assert.ok(phoneProblem(bad), bad);
  });

  it('validates scripted location arguments and builds the location message', () => {
    const parsed = sendLocationArgsSchema.parse({ ...TARGET, latitude: 48.8566, longitude: 2.3522, name: '  Bank  ', address: '' });
    const { accountId, conversationId, clientMessageId, replyTo, ...fields } = parsed;
    assert.deepEqual([accountId, conversationId, clientMessageId, replyTo], ['acc-1', 'c1', undefined, undefined]);
    assert.deepEqual(locationMessage(fields), { kind: 'location', text: '', payload: { type: 'location', latitude: 48.8566, longitude: 2.3522, name: 'Bank' } });
    for (const bad of [
      { ...TARGET, latitude: 91, longitude: 0 },
      { ...TARGET, latitude: 0, longitude: -180.5 },
      { ...TARGET, latitude: '48.8', longitude: 2 },
      { ...TARGET, latitude: Number.NaN, longitude: 2 },
      { ...TARGET, longitude: 2 },
      { ...TARGET, latitude: 1, longitude: 2, name: 'x'.repeat(201) },
      { ...TARGET, latitude: 1, longitude: 2, extra: true },
      { accountId: 'acc-1', latitude: 1, longitude: 2 },
      { ...TARGET, latitude: 1, longitude: 2, clientMessageId: 'short' },
    ]) {
      assert.equal(sendLocationArgsSchema.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });

  it('validates scripted contact arguments and builds the contact message', () => {
    const parsed = sendContactArgsSchema.parse({ ...TARGET, name: ' Bob ', phone: ' +44  20 7946 0958 ', email: 'bob@example.com', replyTo: 'multiwa:acc-1:c1:m1' });
    const { accountId: _a, conversationId: _c, clientMessageId: _id, replyTo, ...fields } = parsed;
    assert.equal(replyTo, 'multiwa:acc-1:c1:m1');
    assert.deepEqual(contactMessage(fields), { kind: 'contact', text: '', payload: { type: 'contact', contacts: [{ name: 'Bob', phone: '+44 20 7946 0958', email: 'bob@example.com' }] } });
    const noEmail = sendContactArgsSchema.parse({ ...TARGET, name: 'Ann', phone: '5550100123', email: '' });
    assert.ok('phone' in noEmail);
    assert.equal(noEmail.email, undefined);
    for (const bad of [
      { ...TARGET, name: '', phone: '5550100123' },
      { ...TARGET, name: '   ', phone: '5550100123' },
      { ...TARGET, name: 'Ann', phone: '12345' },
      { ...TARGET, name: 'Ann', phone: 'javascript:alert(1)' },
      { ...TARGET, name: 'Ann', phone: '5550100123', email: 'not-an-address' },
      { ...TARGET, name: 'Ann' },
      { ...TARGET, name: 'Ann', phone: '5550100123', userId: 'x' },
    ]) {
      assert.equal(sendContactArgsSchema.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });

  it('a venue user as a contact: by UUID only, lower-cased; a name or phone alongside is refused', () => {
    const parsed = sendContactArgsSchema.parse({ ...TARGET, userId: ' 773E5E77-4107-45C2-B648-8FC722ED77F5 ' });
    assert.ok('userId' in parsed);
    assert.deepEqual(contactMessage({ userId: parsed.userId }), { kind: 'contact', text: '', payload: { type: 'contact', contacts: [{ userId: '773e5e77-4107-45c2-b648-8fc722ed77f5' }] } });
    for (const bad of [{ ...TARGET, userId: '7000101' }, { ...TARGET, userId: '' }, { ...TARGET, userId: '773e5e77-4107-45c2-b648-8fc722ed77f5', name: 'Bob' }]) {
      assert.equal(sendContactArgsSchema.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });

  it('a sticker by id, or by name within an album; neither is refused', () => {
    const byId = sendStickerArgsSchema.parse({ ...TARGET, stickerId: '5a0f1e3c-7d2b-4c8e-9f61-2b3c4d5e6f70' });
    assert.deepEqual(stickerMessage(byId), { kind: 'sticker', text: '', payload: { type: 'sticker', stickerId: '5a0f1e3c-7d2b-4c8e-9f61-2b3c4d5e6f70' } });
    const byName = sendStickerArgsSchema.parse({ ...TARGET, name: ' hello ', albumId: 'a-1' });
    assert.deepEqual(stickerMessage(byName).payload, { type: 'sticker', name: 'hello', albumId: 'a-1' });
    for (const bad of [{ ...TARGET }, { ...TARGET, name: 'hello' }, { ...TARGET, stickerId: '<img src=x>' }, { ...TARGET, stickerId: 's', url: 'https://x' }]) {
      assert.equal(sendStickerArgsSchema.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });
});
