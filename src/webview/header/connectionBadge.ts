// The connection state as the user must trust it: what it is, why, and for backoff a live
// countdown to the next attempt. The countdown timer runs only while in backoff.
import * as l10n from '@vscode/l10n';
import type { ConnectionState } from '../../shared/model';
import { el } from '../dom';
import { type Disposable, MutableDisposable, interval } from '../lifecycle';
import { formatClock } from '../timeline/format';
import { createSpinner } from '../ui';

export interface BadgeView {
  readonly text: string;
  readonly title: string;
  readonly busy: boolean;
}

export function describeConnection(state: ConnectionState, now: number): BadgeView {
  switch (state.kind) {
    case 'online':
      return { text: l10n.t('Online'), title: state.since ? l10n.t({ message: 'Connected since {0}', args: [formatClock(state.since)], comment: ['{0} is a time of day'] }) : l10n.t('Connected'), busy: false };
    case 'connecting':
      return { text: l10n.t('Connecting…'), title: l10n.t('Connecting to the venue'), busy: true };
    case 'backoff': {
      const seconds = Math.max(0, Math.ceil((state.until - now) / 1000));
      const text = seconds > 0 ? l10n.t({ message: 'Retrying in {0}s', args: [seconds], comment: ['A countdown: {0} seconds'] }) : l10n.t('Retrying…');
      return { text, title: state.reason ? l10n.t({ message: 'Connection lost: {0}', args: [state.reason], comment: ['{0} is why, in words from the venue or the extension'] }) : l10n.t('Connection lost'), busy: seconds === 0 };
    }
    case 'auth-error':
      return {
        text: l10n.t({ message: 'Sign-in failed: {0}', args: [state.reason], comment: ['{0} is why, in words from the venue'] }),
        title: l10n.t({ message: 'The venue rejected the credentials: {0}', args: [state.reason], comment: ['{0} is why, in words from the venue'] }),
        busy: false,
      };
    case 'stale': {
      const when = formatClock(state.lastSync);
      return {
        text: l10n.t({ message: 'Stale since {0}', args: [when], comment: ['The connection has not synchronised since {0}, a time of day'] }),
        title: state.reason
          ? l10n.t({ message: 'Last synchronised {0}: {1}', args: [when, state.reason], comment: ['{0} is a time of day, {1} why, in words from the venue'] })
          : l10n.t({ message: 'Last synchronised {0}', args: [when], comment: ['{0} is a time of day'] }),
        busy: false,
      };
    }
    case 'displaced':
      return { text: l10n.t('Signed in elsewhere'), title: state.reason || l10n.t('Another session took over this connection'), busy: false };
    case 'pairing':
      return { text: l10n.t('Needs pairing'), title: state.reason || l10n.t('Waiting to be paired'), busy: false };
    case 'offline':
      return { text: l10n.t('Offline'), title: l10n.t('Not connected'), busy: false };
  }
}

/** Spoken once per state kind (the countdown is not read out every second). */
function spokenSummary(state: ConnectionState): string {
  switch (state.kind) {
    case 'online':
      return l10n.t('Connection online');
    case 'connecting':
      return l10n.t('Connecting');
    case 'backoff':
      return l10n.t('Connection lost, retrying');
    case 'auth-error':
      return l10n.t({ message: 'Sign-in failed: {0}', args: [state.reason], comment: ['{0} is why, in words from the venue'] });
    case 'stale':
      return l10n.t('Connection stale');
    case 'displaced':
      return l10n.t('Signed in elsewhere');
    case 'pairing':
      return l10n.t('Needs pairing');
    case 'offline':
      return l10n.t('Offline');
  }
}

export class ConnectionBadge implements Disposable {
  readonly element = el('div', { className: 'conn conn--offline' });
  private readonly dot = el('span', { className: 'conn__dot', attrs: { 'aria-hidden': 'true' } });
  private readonly label = el('span', { className: 'conn__label', attrs: { dir: 'auto' } });
  private readonly ticker = new MutableDisposable();
  private state: ConnectionState = { kind: 'offline' };

  constructor(private readonly announce: (text: string) => void) {
    this.element.append(this.dot, this.label);
    this.render();
  }

  set(state: ConnectionState): void {
    const kindChanged = state.kind !== this.state.kind;
    this.state = state;
    this.ticker.value = state.kind === 'backoff' ? interval(() => this.render(), 1000) : undefined;
    this.render();
    if (kindChanged) this.announce(spokenSummary(state));
  }

  private render(): void {
    const view = describeConnection(this.state, Date.now());
    this.element.className = `conn conn--${this.state.kind}`;
    this.element.title = view.title;
    this.label.textContent = view.text;
    const spinner = this.element.querySelector('.spinner');
    if (view.busy && !spinner) this.element.replaceChildren(createSpinner(l10n.t('Connecting'), 'spinner spinner--inline'), this.label);
    else if (!view.busy && spinner) this.element.replaceChildren(this.dot, this.label);
    // Past the deadline there is nothing left to count.
    if (this.state.kind === 'backoff' && this.state.until <= Date.now()) this.ticker.clear();
  }

  dispose(): void {
    this.ticker.dispose();
  }
}
