import * as assert from 'node:assert/strict';
import { countCharacters } from '../../../src/shared/characterCount';

describe('countCharacters', () => {
  it('counts code points, not UTF-16 code units', () => {
    assert.equal(countCharacters(''), 0);
    assert.equal(countCharacters('hello'), 5);
    assert.equal(countCharacters('😀'), 1);
    assert.equal('😀'.length, 2);
    assert.equal(countCharacters('paid 💶💶 ok'), 10);
    // Astral characters beyond emoji: mathematical letters, CJK extension B, a Gothic letter.
    assert.equal(countCharacters('𝐀𠀀𐌰'), 3);
    // 91 characters of which 7 are emoji: 98 code units, 91 characters.
    const text = `${'a'.repeat(84)}${'😀'.repeat(7)}`;
    assert.equal(text.length, 98);
    assert.equal(countCharacters(text), 91);
  });

  it('counts combining sequences per code point and a lone surrogate as one', () => {
    assert.equal(countCharacters('e\u0301'), 2);
    assert.equal(countCharacters('\uD83D'), 1);
    assert.equal(countCharacters('a\uDE00b'), 3);
    assert.equal(countCharacters('\uD83D\uD83D\uDE00'), 2);
  });
});
