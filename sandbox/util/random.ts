// Deterministic pseudo-random streams. Seed data and counterparty wording must be reproducible
// from `seed` alone, and independent streams (accounts, orders, replies) must not shift each
// other when one of them draws a different number of values.
import { createHash } from 'node:crypto';

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  hex(length: number): string;
  digits(length: number): string;
  alnum(length: number): string;
}

/** A stream keyed by (seed, label): the same pair always yields the same sequence. */
export function seededRandom(seed: number | string, label: string): Random {
  const digest = createHash('sha256').update(`${String(seed)}\u0000${label}`).digest();
  let state = digest.readUInt32LE(0);
  // mulberry32: tiny, fast, good enough for test data (not for anything secret).
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const fromAlphabet = (alphabet: string, length: number): string => {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet.charAt(int(0, alphabet.length - 1));
    return out;
  };
  return {
    next,
    int,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[int(0, items.length - 1)] as T;
    },
    hex: (length) => fromAlphabet('0123456789abcdef', length),
    digits: (length) => fromAlphabet('0123456789', length),
    alnum: (length) => fromAlphabet('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', length),
  };
}
