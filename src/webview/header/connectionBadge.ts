// The connection state as the user must trust it: what it is, why, and for backoff a live
// countdown to the next attempt. The countdown timer runs only while in backoff.
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
      return { text: 'Online', title: state.since ? `Connected since ${formatClock(state.since)}` : 'Connected', busy: false };
    case 'connecting':
      return { text: 'Connecting…', title: 'Connecting to the venue', busy: true };
    case 'backoff': {
      const seconds = Math.max(0, Math.ceil((state.until - now) / 1000));
      const text = seconds > 0 ? `Retrying in ${seconds}s` : 'Retrying…';
      return { text, title: state.reason ? `Connection lost: ${state.reason}` : 'Connection lost', busy: seconds === 0 };
    }
    case 'auth-error':
      return { text: `Sign-in failed: ${state.reason}`, title: `The venue rejected the credentials: ${state.reason}`, busy: false };
    case 'stale':
      return {
        text: `Stale since ${formatClock(state.lastSync)}`,
        title: `Last synchronised ${formatClock(state.lastSync)}${state.reason ? `: ${state.reason}` : ''}`,
        busy: false,
      };
    case 'displaced':
      return { text: 'Signed in elsewhere', title: state.reason || 'Another session took over this connection', busy: false };
    case 'pairing':
      return { text: 'Needs pairing', title: state.reason || 'Waiting to be paired', busy: false };
    case 'offline':
      return { text: 'Offline', title: 'Not connected', busy: false };
  }
}

/** Spoken once per state kind (the countdown is not read out every second). */
function spokenSummary(state: ConnectionState): string {
  switch (state.kind) {
    case 'online':
      return 'Connection online';
    case 'connecting':
      return 'Connecting';
    case 'backoff':
      return 'Connection lost, retrying';
    case 'auth-error':
      return `Sign-in failed: ${state.reason}`;
    case 'stale':
      return 'Connection stale';
    case 'displaced':
      return 'Signed in elsewhere';
    case 'pairing':
      return 'Needs pairing';
    case 'offline':
      return 'Offline';
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
    if (view.busy && !spinner) this.element.replaceChildren(createSpinner('Connecting', 'spinner spinner--inline'), this.label);
    else if (!view.busy && spinner) this.element.replaceChildren(this.dot, this.label);
    // Past the deadline there is nothing left to count.
    if (this.state.kind === 'backoff' && this.state.until <= Date.now()) this.ticker.clear();
  }

  dispose(): void {
    this.ticker.dispose();
  }
}
