import * as assert from 'node:assert/strict';
import { PrefetchDistance } from '../../../src/webview/timeline/prefetchDistance';

describe('PrefetchDistance (how far ahead the next page of history is asked for)', () => {
  it('is a few screens, at least 2,000 px, for a reader who is not scrolling', () => {
    const prefetch = new PrefetchDistance();
    assert.equal(prefetch.distance(300, 0), 2000);
    assert.equal(prefetch.distance(700, 0), 2800);
  });

  it('grows with the speed of a reader scrolling up, times the round trips seen, and falls back when they stop', () => {
    const prefetch = new PrefetchDistance();
    prefetch.noteRoundTrip(100);
    prefetch.noteRoundTrip(100);
    // 60 px per ms upwards (a fling), one scroll event per frame.
    for (let i = 0; i <= 10; i++) prefetch.noteScroll(100_000 - i * 1000, i * 16.7);
    const fast = prefetch.distance(700, 167);
    assert.ok(fast > 20_000 && fast < 34_000, `about speed × round trip × 4 (${fast})`);
    assert.equal(prefetch.distance(700, 167 + 1000), 2800, 'the reader stopped a second ago');
  });

  it('takes no speed from a single jump (the scrollbar dragged, Home)', () => {
    const prefetch = new PrefetchDistance();
    prefetch.noteScroll(90_000, 0);
    prefetch.noteScroll(500, 16);
    assert.equal(prefetch.distance(700, 20), 2800);
  });

  it('does not take rows put in front (the reader did not move) or scrolling down for speed', () => {
    const prefetch = new PrefetchDistance();
    prefetch.noteRoundTrip(100);
    prefetch.noteScroll(5000, 0);
    prefetch.noteScroll(6000, 16);
    prefetch.noteScroll(7000, 32);
    prefetch.noteScroll(8000, 48);
    assert.equal(prefetch.distance(700, 50), 2800, 'scrolling down');
    for (let i = 1; i <= 5; i++) prefetch.noteScroll(8000 - i * 1000, 48 + i * 16);
    const speed = prefetch.distance(700, 130);
    assert.ok(speed > 2800, `scrolling up (${speed})`);
    prefetch.rebase(15_000);
    prefetch.noteScroll(15_000, 131);
    assert.equal(prefetch.distance(700, 132), speed, 'a page in front changes nothing');
  });
});
