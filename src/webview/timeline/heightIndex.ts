// The heights of every loaded row, in display order, with prefix sums: where row i starts (its
// offset from the top of the list) and which row covers a given offset, both O(log n), so the
// virtualised list can size its spacers and find the rows of any scroll position without touching
// the rows themselves.
//
// A Fenwick (binary indexed) tree over a slot array with free slots at both ends: rows occupy the
// slots [lo, hi). Appending (live messages) and prepending (older pages) take a free slot at an end
// and cost O(log n); an insertion or a move inside shifts the shorter side by one slot; when an end
// runs out of room, everything is rebuilt in O(n) with twice the room (amortised O(1) per row).

const MIN_CAPACITY = 64;

function nextPowerOfTwo(n: number): number {
  let p = MIN_CAPACITY;
  while (p < n) p *= 2;
  return p;
}

export class HeightIndex {
  private capacity = MIN_CAPACITY;
  /** Height per slot (0 outside [lo, hi)). */
  private heights = new Float64Array(MIN_CAPACITY);
  /** Fenwick tree over the slots, 1-based: tree[j] sums slots (j - lowbit(j), j]. */
  private tree = new Float64Array(MIN_CAPACITY + 1);
  private lo = MIN_CAPACITY / 2;
  private hi = MIN_CAPACITY / 2;

  get length(): number {
    return this.hi - this.lo;
  }

  /** Replaces everything with `heights`, in order. */
  reset(heights: ArrayLike<number>): void {
    this.rebuild(heights, 0);
  }

  heightAt(index: number): number {
    this.check(index, this.length - 1);
    return this.heights[this.lo + index]!;
  }

  setHeight(index: number, height: number): void {
    this.check(index, this.length - 1);
    this.write(this.lo + index, height);
  }

  /** The top of row `index` (the sum of the heights before it); `offsetOf(length)` is the total. */
  offsetOf(index: number): number {
    this.check(index, this.length);
    return this.prefix(this.lo + index) - this.prefix(this.lo);
  }

  get total(): number {
    return this.prefix(this.hi) - this.prefix(this.lo);
  }

  /**
   * The row that covers `offset` (its top ≤ offset < its bottom), clamped to the first and last row;
   * -1 when there are no rows. Rows of zero height are never returned for an offset inside the list.
   */
  indexAt(offset: number): number {
    const count = this.length;
    if (count === 0) return -1;
    if (offset <= 0) return 0;
    // Fenwick descent: the number of slots whose running sum stays at or below the target.
    let target = this.prefix(this.lo) + offset;
    let position = 0;
    for (let step = this.capacity; step > 0; step >>= 1) {
      const next = position + step;
      if (next <= this.capacity && this.tree[next]! <= target) {
        position = next;
        target -= this.tree[next]!;
      }
    }
    return Math.min(count - 1, Math.max(0, position - this.lo));
  }

  /** Inserts rows of `heights` so that the first of them is at `index`. */
  insert(index: number, heights: ArrayLike<number>): void {
    this.check(index, this.length);
    const n = heights.length;
    if (n === 0) return;
    const count = this.length;
    if (index === count && this.hi + n <= this.capacity) {
      for (let i = 0; i < n; i++) this.write(this.hi + i, heights[i]!);
      this.hi += n;
      return;
    }
    if (index === 0 && this.lo >= n) {
      this.lo -= n;
      for (let i = 0; i < n; i++) this.write(this.lo + i, heights[i]!);
      return;
    }
    // A single row inside: shift the shorter side by one slot when that is cheaper than a rebuild.
    if (n === 1 && Math.min(index, count - index) * 8 < count) {
      if (index < count - index && this.lo > 0) {
        this.lo--;
        for (let s = this.lo; s < this.lo + index; s++) this.write(s, this.heights[s + 1]!);
        this.write(this.lo + index, heights[0]!);
        return;
      }
      if (index >= count - index && this.hi < this.capacity) {
        for (let s = this.hi; s > this.lo + index; s--) this.write(s, this.heights[s - 1]!);
        this.write(this.lo + index, heights[0]!);
        this.hi++;
        return;
      }
    }
    const all = new Float64Array(count + n);
    all.set(this.heights.subarray(this.lo, this.lo + index), 0);
    for (let i = 0; i < n; i++) all[index + i] = heights[i]!;
    all.set(this.heights.subarray(this.lo + index, this.hi), index + n);
    this.rebuild(all, index === 0 ? n : 0);
  }

  /** Moves the row at `from` so that it ends up at index `to` (indices as after the move). */
  move(from: number, to: number): void {
    this.check(from, this.length - 1);
    this.check(to, this.length - 1);
    if (from === to) return;
    const height = this.heights[this.lo + from]!;
    if (Math.abs(from - to) * 8 < this.length) {
      // Shift the rows in between by one slot.
      if (from < to) for (let s = this.lo + from; s < this.lo + to; s++) this.write(s, this.heights[s + 1]!);
      else for (let s = this.lo + from; s > this.lo + to; s--) this.write(s, this.heights[s - 1]!);
      this.write(this.lo + to, height);
      return;
    }
    const all = Array.from(this.heights.subarray(this.lo, this.hi));
    all.splice(from, 1);
    all.splice(to, 0, height);
    this.rebuild(all, 0);
  }

  private check(index: number, max: number): void {
    if (!Number.isInteger(index) || index < 0 || index > max) throw new RangeError(`row index ${index} outside 0..${max}`);
  }

  private write(slot: number, height: number): void {
    const delta = height - this.heights[slot]!;
    if (delta === 0) return;
    this.heights[slot] = height;
    for (let j = slot + 1; j <= this.capacity; j += j & -j) this.tree[j] = this.tree[j]! + delta;
  }

  /** Sum of the slots before `slot`. */
  private prefix(slot: number): number {
    let sum = 0;
    for (let j = slot; j > 0; j -= j & -j) sum += this.tree[j]!;
    return sum;
  }

  /** Lays `heights` out afresh with room at both ends (more in front when `grewInFront` rows were just prepended). */
  private rebuild(heights: ArrayLike<number>, grewInFront: number): void {
    const count = heights.length;
    const capacity = nextPowerOfTwo(count * 2 + 2);
    const spare = capacity - count;
    // Pages of older messages keep arriving in front while scrolling back: leave them more room there.
    const lo = grewInFront > 0 ? Math.ceil((spare * 2) / 3) : spare >> 1;
    this.capacity = capacity;
    this.heights = new Float64Array(capacity);
    for (let i = 0; i < count; i++) this.heights[lo + i] = heights[i]!;
    this.lo = lo;
    this.hi = lo + count;
    // O(n) construction: each node passes its sum to its parent.
    const tree = new Float64Array(capacity + 1);
    for (let j = 1; j <= capacity; j++) {
      tree[j] = tree[j]! + this.heights[j - 1]!;
      const parent = j + (j & -j);
      if (parent <= capacity) tree[parent] = tree[parent]! + tree[j]!;
    }
    this.tree = tree;
  }
}
