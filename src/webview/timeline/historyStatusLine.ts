// The line above the oldest message: loading, a load error with Retry, or the start of history.
import { el } from '../dom';
import { createButton, createSpinner } from '../ui';
import type { PagerState } from './historyPager';
import { HISTORY_RETRY_ACTION } from './timelineActions';

export function renderHistoryStatusLine(line: HTMLElement, state: PagerState, hasMessages: boolean): void {
  switch (state.kind) {
    case 'idle':
      line.replaceChildren();
      return;
    case 'loading':
      line.replaceChildren(createSpinner('Loading older messages', 'spinner spinner--inline'), el('span', { text: 'Loading older messages…' }));
      return;
    case 'error':
      line.replaceChildren(
        el('span', { className: 'history-status__error', text: `Couldn't load older messages: ${state.message} ` }),
        createButton({ label: 'Retry', appearance: 'secondary', data: { action: HISTORY_RETRY_ACTION } }),
      );
      return;
    case 'end':
      line.replaceChildren(el('span', { className: 'history-status__end', text: hasMessages ? 'No older messages.' : 'No messages yet.' }));
      return;
  }
}
