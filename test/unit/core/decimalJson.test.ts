import assert from 'node:assert/strict';
import { parseJsonKeepingDecimals } from '../../../src/extension/core/decimalJson';

describe('JSON with exact decimals', () => {
  it('keeps numbers with a fraction or exponent as their source text', () => {
    assert.deepEqual(parseJsonKeepingDecimals('{"amount":349.60,"q":0.1,"e":1.5E-7,"neg":-2.50}'), { amount: '349.60', q: '0.1', e: '1.5E-7', neg: '-2.50' });
  });

  it('keeps safe integers as numbers and bigger ones as text', () => {
    assert.deepEqual(parseJsonKeepingDecimals('{"code":0,"createTime":1700000000000,"id":12345678901234567890,"n":-3}'), {
      code: 0,
      createTime: 1_700_000_000_000,
      id: '12345678901234567890',
      n: -3,
    });
  });

  it('leaves strings alone, digits and escaped quotes included', () => {
    assert.deepEqual(parseJsonKeepingDecimals('["1.50", "say \\"2.5\\" now", "\\\\", 2.5]'), ['1.50', 'say "2.5" now', '\\', '2.5']);
  });

  it('reads nested arrays and objects like JSON.parse otherwise', () => {
    const text = '{"data":[{"a":[1,2.0,{"b":null,"c":true}]}],"msg":"ok"}';
    assert.deepEqual(parseJsonKeepingDecimals(text), { data: [{ a: [1, '2.0', { b: null, c: true }] }], msg: 'ok' });
  });

  it('throws on malformed numbers and malformed JSON', () => {
    assert.throws(() => parseJsonKeepingDecimals('{"a":1.2.3}'), SyntaxError);
    assert.throws(() => parseJsonKeepingDecimals('{"a":01}'), SyntaxError);
    assert.throws(() => parseJsonKeepingDecimals('{"a":'), SyntaxError);
  });
});
