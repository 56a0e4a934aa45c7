// Whether the composer may send in a connection state. Only a credentials problem blocks sending:
// while offline or backing off, messages go to the outbox and are delivered on reconnect.
import * as l10n from '@vscode/l10n';
import type { ConnectionState } from '../../shared/model';

export type SendGate =
  | { readonly allowed: true; /** Shown next to the box, e.g. "will send when reconnected". */ readonly hint?: string }
  | { readonly allowed: false; readonly reason: string };


export function sendGateFor(state: ConnectionState): SendGate {
  switch (state.kind) {
    case 'online':
      return { allowed: true };
    case 'auth-error':
      return { allowed: false, reason: l10n.t({ message: 'Sending is disabled: the venue rejected the credentials ({0}). Fix the account, then reconnect.', args: [state.reason], comment: ['{0} is why, in words from the venue'] }) };
    case 'displaced':
      return { allowed: true, hint: l10n.t('Another session took over this connection: messages will send when reconnected.') };
    case 'pairing':
      return { allowed: true, hint: l10n.t('Waiting to be paired: messages will send once paired.') };
    case 'connecting':
    case 'backoff':
    case 'stale':
    case 'offline':
      return { allowed: true, hint: l10n.t('Not connected: messages will send when reconnected.') };
  }
}
