// Binary search over a sorted array, shared by the host's message store and the webview's timeline.

/**
 * The first index whose item is not `before` (items for which `before` holds must all come first).
 * With `before = item < x` that is the lower bound of x; with `item <= x`, the upper bound.
 */
export function partitionPoint<T>(items: readonly T[], before: (item: T) => boolean): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(items[mid] as T)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
