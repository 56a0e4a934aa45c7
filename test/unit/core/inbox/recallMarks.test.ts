import assert from 'node:assert/strict';
import { withRecallsMarked } from '../../../../src/extension/core/inbox/recallMarks';
import type { ChatMessage } from '../../../../src/shared/model';

function msg(id: string, fields: Partial<ChatMessage> = {}): ChatMessage {
  return { key: `mixin:acc:conv:${id}`, venue: 'mixin', accountId: 'acc', conversationId: 'conv', venueMessageId: id, direction: 'in', kind: 'text', text: `text ${id}`, time: 1000, ...fields };
}

function recallOf(id: string, target: string, fields: Partial<ChatMessage> = {}): ChatMessage {
  return msg(id, { kind: 'recall', text: undefined, payload: { type: 'recall', targetVenueMessageId: target }, time: 2000, ...fields });
}

const none = (): undefined => undefined;

describe('recall marks', () => {
  it('marks a target in the same batch recalled and leaves everything else as it was', () => {
    const target = msg('m1');
    const other = msg('m2');
    const recall = recallOf('r1', 'm1');
    const out = withRecallsMarked([target, other, recall], none);
    assert.deepEqual(out, [{ ...target, recalled: true }, other, recall]);
  });

  it('appends the stored target marked recalled, its content and time kept for the merge', () => {
    const stored = msg('00123', { kind: 'image', text: undefined, attachments: [{ kind: 'image', ref: 'att' }], time: 500 });
    const lookups: string[] = [];
    const out = withRecallsMarked([recallOf('r1', '123')], (a, c, v) => {
      lookups.push(`${a}/${c}/${v}`);
      return v === '123' ? stored : undefined;
    });
    assert.deepEqual(lookups, ['acc/conv/123']);
    assert.deepEqual(out[1], { ...stored, recalled: true });
  });

  it('never withdraws a message of the other side, a recall, an already withdrawn one, or a message of another conversation', () => {
    const ours = msg('m1', { direction: 'out', status: 'read' });
    const elsewhere = msg('m2', { conversationId: 'other', key: 'mixin:acc:other:m2' });
    const already = msg('m3', { recalled: true });
    const out = withRecallsMarked([ours, elsewhere, already, recallOf('r1', 'm1'), recallOf('r2', 'm2'), recallOf('r3', 'm3'), recallOf('r4', 'r1')], (_a, _c, v) => (v === 'm1' ? ours : undefined));
    assert.deepEqual(out.slice(0, 3), [ours, elsewhere, already]);
    assert.equal(out.length, 7, 'nothing appended');
  });

  it('a batch without recalls is returned unchanged, without store lookups', () => {
    const batch = [msg('m1'), msg('m2')];
    assert.deepEqual(withRecallsMarked(batch, () => assert.fail('no lookup expected')), batch);
  });
});
