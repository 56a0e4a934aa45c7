// Words for connection states, shared by the tree, the status bar and its quick pick. Reasons come
// from venues and errors, so they pass the log redactor before any view shows them
// (docs/architecture.md, Trust boundaries).
import * as vscode from 'vscode';
import type { ConnectionState } from '../../shared/model';
import type { Redactor } from '../core/redact';

/** What views need of the redactor: the one helper that cleans a state's reason. */
export type StateRedactor = Pick<Redactor, 'redactState' | 'redact'>;

export function describeState(raw: ConnectionState, redactor: StateRedactor, now = Date.now()): { short: string; long: string } {
  const state = redactor.redactState(raw);
  switch (state.kind) {
    case 'online':
      return { short: vscode.l10n.t('online'), long: vscode.l10n.t('Connected') };
    case 'connecting':
      return { short: vscode.l10n.t('connecting…'), long: vscode.l10n.t('Connecting…') };
    case 'backoff': {
      const secs = Math.max(0, Math.ceil((state.until - now) / 1000));
      return { short: vscode.l10n.t('retrying in {0}s', secs), long: vscode.l10n.t('Connection problem: {0}. Retrying in {1}s.', state.reason, secs) };
    }
    case 'auth-error':
      return { short: vscode.l10n.t('key rejected'), long: vscode.l10n.t('Authentication failed: {0}', state.reason) };
    case 'stale':
      return { short: vscode.l10n.t('stale'), long: vscode.l10n.t('Last synced {0}: {1}', new Date(state.lastSync).toLocaleTimeString(), state.reason) };
    case 'displaced':
      return { short: vscode.l10n.t('taken over'), long: vscode.l10n.t('Another client took over this session: {0}', state.reason) };
    case 'pairing':
      return { short: vscode.l10n.t('needs pairing'), long: vscode.l10n.t('Waiting to be paired: {0}', state.reason) };
    case 'offline':
      return { short: vscode.l10n.t('offline'), long: vscode.l10n.t('Offline') };
  }
}
