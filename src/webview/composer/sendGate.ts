// Whether the composer may send in a connection state. Only a credentials problem blocks sending:
// while offline or backing off, messages go to the outbox and are delivered on reconnect.
import type { ConnectionState } from '../../shared/model';

export type SendGate =
  | { readonly allowed: true; /** Shown next to the box, e.g. "will send when reconnected". */ readonly hint?: string }
  | { readonly allowed: false; readonly reason: string };

const QUEUED_HINT = 'Not connected: messages will send when reconnected.';

export function sendGateFor(state: ConnectionState): SendGate {
  switch (state.kind) {
    case 'online':
      return { allowed: true };
    case 'auth-error':
      return { allowed: false, reason: `Sending is disabled: the venue rejected the credentials (${state.reason}). Fix the account, then reconnect.` };
    case 'displaced':
      return { allowed: true, hint: 'Another session took over this connection: messages will send when reconnected.' };
    case 'pairing':
      return { allowed: true, hint: 'Waiting to be paired: messages will send once paired.' };
    case 'connecting':
    case 'backoff':
    case 'stale':
    case 'offline':
      return { allowed: true, hint: QUEUED_HINT };
  }
}
