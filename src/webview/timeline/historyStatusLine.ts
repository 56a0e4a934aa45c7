// The line above the oldest message: loading, a load error with Retry, or the start of history.
import * as l10n from '@vscode/l10n';
import { el } from '../dom';
import { createButton, createSpinner } from '../ui';
import type { PagerState } from './historyPager';
import { HISTORY_RETRY_ACTION } from './timelineActions';
import type { VenueInfo } from '../../shared/protocol';

/** The start of an empty chat on a venue with history (a module constant: l10nSetup.ts has run). */
export const NO_MESSAGES_YET = l10n.t('No messages yet.');

/**
 * The start of an empty chat. A venue that keeps no history (MEXC) cannot fill it later, so the
 * user is told why it is empty rather than left to wonder where the earlier messages went.
 */
export function emptyChatText(venue: VenueInfo): string {
  return venue.serverHistory ? NO_MESSAGES_YET : l10n.t({ message: "{0} keeps no chat history. Venue Chat stores this chat's messages from the moment it is connected.", args: [venue.name], comment: ['{0} is the venue, e.g. MEXC'] });
}

export function renderHistoryStatusLine(line: HTMLElement, state: PagerState, hasMessages: boolean, emptyText = NO_MESSAGES_YET): void {
  switch (state.kind) {
    case 'idle':
      line.replaceChildren();
      return;
    case 'loading':
      line.replaceChildren(createSpinner(l10n.t('Loading older messages'), 'spinner spinner--inline'), el('span', { text: l10n.t('Loading older messages…') }));
      return;
    case 'error':
      line.replaceChildren(
        el('span', { className: 'history-status__error', text: `${l10n.t({ message: "Couldn't load older messages: {0}", args: [state.message], comment: ['{0} is why'] })} ` }),
        createButton({ label: l10n.t('Retry'), appearance: 'secondary', data: { action: HISTORY_RETRY_ACTION } }),
      );
      return;
    case 'end':
      line.replaceChildren(el('span', { className: 'history-status__end', text: hasMessages ? l10n.t('No older messages.') : emptyText }));
      return;
  }
}
