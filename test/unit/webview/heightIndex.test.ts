import * as assert from 'node:assert/strict';
import { HeightIndex } from '../../../src/webview/timeline/heightIndex';

/** A tiny deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Checks every query of `index` against a plain array of the same heights. */
function assertSame(index: HeightIndex, model: readonly number[], context: string): void {
  assert.equal(index.length, model.length, `${context}: length`);
  let top = 0;
  for (let i = 0; i < model.length; i++) {
    assert.equal(index.heightAt(i), model[i], `${context}: height ${i}`);
    assert.ok(Math.abs(index.offsetOf(i) - top) < 1e-6, `${context}: offset of ${i} is ${index.offsetOf(i)}, expected ${top}`);
    if (model[i]! > 0) {
      assert.equal(index.indexAt(top), i, `${context}: row at its own top ${top}`);
      assert.equal(index.indexAt(top + model[i]! / 2), i, `${context}: row at its middle`);
    }
    top += model[i]!;
  }
  assert.ok(Math.abs(index.total - top) < 1e-6, `${context}: total`);
}

describe('HeightIndex (row heights with prefix sums)', () => {
  it('answers offset → row and row → offset for a reset list', () => {
    const index = new HeightIndex();
    assert.equal(index.indexAt(100), -1, 'no rows');
    index.reset([10, 20, 30, 40]);
    assert.equal(index.offsetOf(0), 0);
    assert.equal(index.offsetOf(2), 30);
    assert.equal(index.offsetOf(4), 100);
    assert.equal(index.total, 100);
    assert.equal(index.indexAt(-5), 0, 'above the list: the first row');
    assert.equal(index.indexAt(9.99), 0);
    assert.equal(index.indexAt(10), 1, 'a boundary belongs to the row starting there');
    assert.equal(index.indexAt(59), 2);
    assert.equal(index.indexAt(99), 3);
    assert.equal(index.indexAt(1e9), 3, 'below the list: the last row');
  });

  it('appends and prepends one by one and in pages, past any initial room', () => {
    const index = new HeightIndex();
    const model: number[] = [];
    for (let i = 0; i < 300; i++) {
      index.insert(index.length, [40 + (i % 7)]);
      model.push(40 + (i % 7));
    }
    for (let page = 0; page < 20; page++) {
      const heights = Array.from({ length: 200 }, (_, i) => 30 + ((page + i) % 11));
      index.insert(0, heights);
      model.unshift(...heights);
    }
    assertSame(index, model, 'after appends and prepended pages');
  });

  it('keeps sums right through updates, inserts inside and moves (random against a plain array)', () => {
    const next = random(7);
    const index = new HeightIndex();
    const model: number[] = [];
    for (let step = 0; step < 3000; step++) {
      const r = next();
      if (r < 0.35 || model.length === 0) {
        const at = Math.floor(next() * (model.length + 1));
        const height = Math.round(next() * 300) / 4;
        index.insert(at, [height]);
        model.splice(at, 0, height);
      } else if (r < 0.45) {
        const at = next() < 0.5 ? 0 : model.length;
        const heights = Array.from({ length: 1 + Math.floor(next() * 30) }, () => Math.round(next() * 200));
        index.insert(at, heights);
        model.splice(at, 0, ...heights);
      } else if (r < 0.8) {
        const at = Math.floor(next() * model.length);
        const height = Math.round(next() * 400) / 2;
        index.setHeight(at, height);
        model[at] = height;
      } else {
        const from = Math.floor(next() * model.length);
        const to = next() < 0.7 ? Math.min(model.length - 1, Math.max(0, from + Math.floor(next() * 7) - 3)) : Math.floor(next() * model.length);
        index.move(from, to);
        const [moved] = model.splice(from, 1);
        model.splice(to, 0, moved!);
      }
      if (step % 250 === 0) assertSame(index, model, `step ${step}`);
    }
    assertSame(index, model, 'at the end');
  });

  it('skips rows of zero height (not measured as anything) when finding a row by offset', () => {
    const index = new HeightIndex();
    index.reset([50, 0, 0, 50]);
    assert.equal(index.indexAt(50), 3);
    assert.equal(index.indexAt(49), 0);
  });

  it('refuses an index outside the list', () => {
    const index = new HeightIndex();
    index.reset([1, 2]);
    assert.throws(() => index.heightAt(2), RangeError);
    assert.throws(() => index.insert(3, [1]), RangeError);
    assert.throws(() => index.move(0, 2), RangeError);
  });
});
