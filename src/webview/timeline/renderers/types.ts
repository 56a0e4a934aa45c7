import type { ChatMessage } from '../../../shared/model';

/** Builds the content of one message bubble. Must use DOM APIs only (never innerHTML) with message data. */
export type MessageRenderer = (message: ChatMessage) => HTMLElement;
