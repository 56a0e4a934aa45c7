// Percentiles of a bench's samples (nearest rank), shared by every row.
export function percentile(samples: readonly number[], q: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}

export function stats(samples: readonly number[]): { p50: number; p95: number; mean: number } {
  return { p50: percentile(samples, 0.5), p95: percentile(samples, 0.95), mean: samples.reduce((a, b) => a + b, 0) / samples.length };
}
