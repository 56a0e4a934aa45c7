// The XSS corpus is what the venue tests are worth: it must stay large and cover every family the
// issue names. No browser here; the webview tier runs it because the corpus lives there.
import * as assert from 'node:assert/strict';
import { CORPUS, URL_CORPUS } from './xssCorpus';
import { FAMILIES } from './xssFamilies';

describe('XSS corpus', () => {
  it('holds at least 200 distinct payloads, in every family the issue names', () => {
    assert.ok(CORPUS.length >= 200, `the corpus has ${CORPUS.length} payloads`);
    assert.equal(new Set(CORPUS).size, CORPUS.length, 'each payload once');
    for (const [family, payloads] of Object.entries(FAMILIES)) {
      assert.ok(payloads.length >= 5, `${family}: ${payloads.length} payloads`);
      assert.equal(new Set(payloads).size, payloads.length, `${family}: no duplicates`);
    }
    assert.ok(URL_CORPUS.length >= 40, 'URL tricks for every URL field');
  });

  it('has a 100,000-character word, lone surrogates, NUL and every bidi control', () => {
    assert.ok(CORPUS.some((p) => p.length >= 100_000 && !/\s/.test(p)));
    assert.ok(CORPUS.some((p) => /\uD800(?![\uDC00-\uDFFF])/.test(p)));
    assert.ok(CORPUS.some((p) => p.includes('\u0000')));
    for (const control of ['\u061C', '\u200E', '\u200F', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069']) {
      assert.ok(CORPUS.some((p) => p.includes(control)), `U+${control.charCodeAt(0).toString(16).toUpperCase()}`);
    }
  });
});
