import * as assert from 'node:assert/strict';
import { bidiControlOf, bidiControlTitle, hasBidiControls, revealBidiControls, splitBidiControls } from '../../../src/shared/bidiControls';

const ALL = ['\u061C', '\u200E', '\u200F', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'];

describe('bidi controls', () => {
  it('finds every bidirectional control character and nothing else', () => {
    for (const char of ALL) assert.equal(hasBidiControls(`a${char}b`), true, `U+${char.codePointAt(0)?.toString(16)}`);
    // Neighbours of the ranges, zero-width characters and right-to-left letters are not controls.
    for (const char of ['\u200B', '\u200D', '\u2029', '\u202F', '\u2065', '\u206A', '\uFEFF', 'ש', 'ع', '😀']) {
      assert.equal(hasBidiControls(char), false, `U+${char.codePointAt(0)?.toString(16)}`);
    }
  });

  it('names each control', () => {
    assert.deepEqual(
      ALL.map((c) => bidiControlOf(c)?.abbr),
      ['ALM', 'LRM', 'RLM', 'LRE', 'RLE', 'PDF', 'LRO', 'RLO', 'LRI', 'RLI', 'FSI', 'PDI'],
    );
    const rlo = bidiControlOf('\u202E');
    assert.ok(rlo);
    assert.equal(bidiControlTitle(rlo), 'right-to-left override (hidden character)');
    assert.equal(bidiControlOf('a'), undefined);
  });

  it('splits text into runs and controls, in order, with no empty runs', () => {
    assert.deepEqual(splitBidiControls('\u202Eexe.fdp'), [{ control: bidiControlOf('\u202E') }, { text: 'exe.fdp' }]);
    assert.deepEqual(splitBidiControls('DE89 \u20673704\u2069\u2069 00'), [
      { text: 'DE89 ' },
      { control: bidiControlOf('\u2067') },
      { text: '3704' },
      { control: bidiControlOf('\u2069') },
      { control: bidiControlOf('\u2069') },
      { text: ' 00' },
    ]);
    assert.deepEqual(splitBidiControls('plain'), [{ text: 'plain' }]);
    assert.deepEqual(splitBidiControls(''), []);
  });

  it('reveals controls in plain strings as visible markers and leaves other text alone', () => {
    assert.equal(revealBidiControls('invoice\u202Eexe.fdp'), 'invoice⟨RLO⟩exe.fdp');
    assert.equal(revealBidiControls('100\u2067,00\u2069 EUR'), '100⟨RLI⟩,00⟨PDI⟩ EUR');
    assert.equal(revealBidiControls('שלום alice 😀'), 'שלום alice 😀');
    // The result has no controls left, so it can reorder nothing; revealing twice changes nothing.
    const once = revealBidiControls(ALL.join('x'));
    assert.equal(hasBidiControls(once), false);
    assert.equal(revealBidiControls(once), once);
  });
});
