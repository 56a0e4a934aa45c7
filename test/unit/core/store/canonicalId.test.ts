import assert from 'node:assert/strict';
import { canonicalId } from '../../../../src/extension/core/store/canonicalId';

describe('canonicalId', () => {
  it('gives one form to a decimal id however it was sent', () => {
    for (const form of [123, '123', '00123', ' 123 ', '+123', '+0123', 123.0]) assert.equal(canonicalId(form), '123', String(form));
    for (const form of [0, -0, '0', '000', '-0', '+0']) assert.equal(canonicalId(form), '0', String(form));
    assert.equal(canonicalId('-007'), '-7');
    assert.equal(canonicalId(-7), '-7');
    // The plain form (the fast path) and its near misses.
    for (const form of ['1', '9', '10', '90071992547409910']) assert.equal(canonicalId(form), form);
    assert.equal(canonicalId('12 '), '12');
    assert.equal(canonicalId('1\u00a0'), '1', 'trailing Unicode space');
    assert.equal(canonicalId('12a'), '12a');
    assert.equal(canonicalId('1٣'), '1٣', 'only ASCII digits are digits');
  });

  it('writes big integral numbers out in full, never in exponent form', () => {
    assert.equal(canonicalId(1e21), '1000000000000000000000');
    assert.equal(canonicalId('1000000000000000000000'), '1000000000000000000000');
    assert.equal(canonicalId(Number.MAX_SAFE_INTEGER), '9007199254740991');
    // Digit strings longer than a double holds are kept exact (no Number round trip).
    assert.equal(canonicalId('0012345678901234567890123'), '12345678901234567890123');
  });

  it('keeps every other id as it is, apart from surrounding whitespace', () => {
    assert.equal(canonicalId(' AbC-1 '), 'AbC-1');
    assert.equal(canonicalId('abc'), 'abc');
    assert.notEqual(canonicalId('ABC'), canonicalId('abc'), 'ids are opaque: case matters');
    assert.equal(canonicalId('1e3'), '1e3', 'a string in exponent form is not a number to us');
    assert.equal(canonicalId('0x1f'), '0x1f');
    assert.equal(canonicalId('12.50'), '12.50');
    assert.equal(canonicalId('c:0012'), 'c:0012');
    assert.equal(canonicalId(1.5), '1.5');
  });
});
