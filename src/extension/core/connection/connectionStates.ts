// One account often has several connections (MEXC: a REST poller plus one socket per chat). The
// tree and the status bar show one state per account: the worst of its parts.
import type { ConnectionState, ConnectionStateKind } from '../../../shared/model';

/** How bad a state is for the user: the higher, the more it needs attention. */
export const STATE_SEVERITY: Readonly<Record<ConnectionStateKind, number>> = {
  online: 0,
  offline: 1,
  stale: 2,
  connecting: 3,
  backoff: 4,
  displaced: 5,
  pairing: 6,
  'auth-error': 7,
};

/**
 * The worst of the parts' states. `offline` parts are connections that are simply not open (a
 * closed chat socket) and say nothing about the account, so they are skipped; with no other part
 * the account is offline. An all-online account is online since its latest part came up.
 */
export function worstState(parts: readonly ConnectionState[]): ConnectionState {
  let worst: ConnectionState | undefined;
  let since = 0;
  for (const s of parts) {
    if (s.kind === 'offline') continue;
    if (s.kind === 'online') since = Math.max(since, s.since);
    if (!worst || STATE_SEVERITY[s.kind] > STATE_SEVERITY[worst.kind]) worst = s;
  }
  if (!worst) return { kind: 'offline' };
  return worst.kind === 'online' ? { kind: 'online', since } : worst;
}

/** Structural equality, so a recomputed aggregate that did not change is not announced again. */
export function sameState(a: ConnectionState, b: ConnectionState): boolean {
  if (a.kind !== b.kind) return false;
  const fa = a as Readonly<Record<string, unknown>>;
  const fb = b as Readonly<Record<string, unknown>>;
  const keys = new Set([...Object.keys(fa), ...Object.keys(fb)]);
  for (const k of keys) if (fa[k] !== fb[k]) return false;
  return true;
}
