// The line above the oldest message: loading, a load error with Retry, or the start of history.
import { el } from '../dom';
import { createButton, createSpinner } from '../ui';
import type { PagerState } from './historyPager';
import { HISTORY_RETRY_ACTION } from './timelineActions';
import type { VenueInfo } from '../../shared/protocol';

export const NO_MESSAGES_YET = 'No messages yet.';

/**
 * The start of an empty chat. A venue that keeps no history (MEXC) cannot fill it later, so the
 * user is told why it is empty rather than left to wonder where the earlier messages went.
 */
export function emptyChatText(venue: VenueInfo): string {
  return venue.serverHistory ? NO_MESSAGES_YET : `${venue.name} keeps no chat history. Venue Chat stores this chat's messages from the moment it is connected.`;
}

export function renderHistoryStatusLine(line: HTMLElement, state: PagerState, hasMessages: boolean, emptyText = NO_MESSAGES_YET): void {
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
      line.replaceChildren(el('span', { className: 'history-status__end', text: hasMessages ? 'No older messages.' : emptyText }));
      return;
  }
}
