// Fault switches armed for "the next N" events (handshakes, sends, REST calls), on every venue.

/** Spends one armed count of `key`, if any: true when this event is the faulty one. */
export function takeArmed<K extends string>(state: Record<K, number>, key: K): boolean {
  if (state[key] <= 0) return false;
  state[key] -= 1;
  return true;
}
