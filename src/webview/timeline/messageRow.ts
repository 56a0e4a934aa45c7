// One message in the list. The row element is created once per message and updated in place on
// every upsert (status changes must not rebuild the bubble, reload its image or lose focus).
import type { ChatMessage } from '../../shared/model';
import { revealed } from '../bidiReveal';
import { el, srOnly } from '../dom';
import { formatClock, formatTimeTitle, isoTime, localDayKey } from './format';
import { renderContent } from './renderers';
import { actionsElement, statusElement } from './status';
import { icons } from '../icons';
import type { DownloadBook } from './downloads';

export const REPLY_ACTION = 'reply';

/** Whether a message can be answered with a quoted reply: it reached the venue and is a message, not an event. */
export function canReplyTo(message: ChatMessage): boolean {
  return message.venueMessageId !== undefined && layoutOf(message) !== 'center' && message.recalled !== true;
}

export type RowLayout = 'in' | 'out' | 'center';

export function layoutOf(message: ChatMessage): RowLayout {
  if (message.kind === 'gap' || message.kind === 'system' || message.kind === 'recall' || message.direction === 'system') return 'center';
  return message.direction === 'out' ? 'out' : 'in';
}

/** Structural equality of a part of two messages (they are plain JSON data). */
function samePart(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** Whether the bubble content (not just its status or time) must be rebuilt. */
function contentChanged(a: ChatMessage, b: ChatMessage): boolean {
  return (
    a.kind !== b.kind ||
    a.text !== b.text ||
    a.direction !== b.direction ||
    a.gap?.from !== b.gap?.from ||
    a.gap?.to !== b.gap?.to ||
    a.recalled !== b.recalled ||
    !samePart(a.attachments, b.attachments) ||
    !samePart(a.payload, b.payload) ||
    !samePart(a.quote, b.quote)
  );
}

function safeKindClass(kind: string): string {
  return /^[a-z][a-z-]{0,30}$/.test(kind) ? kind : 'unknown';
}

export class MessageRow {
  readonly element: HTMLElement;
  private message: ChatMessage;
  private bubble!: HTMLElement;
  private content!: HTMLElement;
  private sender!: HTMLElement;
  private meta!: HTMLElement;
  private actions: HTMLElement | null = null;
  private replyButton: HTMLElement | null = null;
  private progress: HTMLElement | null = null;
  private daySeparator: HTMLElement | null = null;
  private shownDayLabel: string | null = null;
  private senderShown = true;
  private cachedDayKey: number;

  /**
   * `replies`: the venue sends quoted replies, so each message it knows gets a Reply button.
   * `downloads`: what the pane knows of attachment downloads, shown again whenever the bubble is rebuilt.
   */
  constructor(
    message: ChatMessage,
    private readonly replies = false,
    private readonly downloads?: DownloadBook,
  ) {
    this.message = message;
    this.cachedDayKey = localDayKey(message.time);
    this.element = el('div', { attrs: { role: 'article' } });
    this.build();
  }

  get current(): ChatMessage {
    return this.message;
  }

  get dayKey(): number {
    return this.cachedDayKey;
  }

  /** Applies a newer version of the same message, touching only what changed. */
  update(next: ChatMessage): void {
    const previous = this.message;
    this.message = next;
    this.cachedDayKey = localDayKey(next.time);
    if (contentChanged(previous, next) || layoutOf(previous) !== layoutOf(next)) {
      this.build();
      return;
    }
    if (previous.key !== next.key) this.element.dataset.key = next.key;
    if (previous.senderName !== next.senderName) this.renderSender();
    if (previous.time !== next.time || previous.rawTime !== next.rawTime || previous.status !== next.status) this.renderMeta();
    if (previous.status !== next.status || previous.failure !== next.failure || previous.clientMessageId !== next.clientMessageId) this.renderActions();
    if (previous.venueMessageId !== next.venueMessageId) this.renderReplyButton();
    if (next.status !== 'queued' && next.status !== 'sending' && this.progress) {
      this.progress.remove();
      this.progress = null;
    }
  }

  /** Shows how much of this message's file is uploaded (until the message leaves the queue). */
  setUploadProgress(sent: number, total: number): void {
    const done = this.message.status !== 'queued' && this.message.status !== 'sending';
    if (done || total <= 0) {
      this.progress?.remove();
      this.progress = null;
      return;
    }
    const percent = Math.max(0, Math.min(100, Math.floor((sent / total) * 100)));
    if (!this.progress) {
      this.progress = el('div', { className: 'upload-progress' }, [el('progress', { attrs: { max: '100', value: '0', 'aria-label': 'Upload progress' } }), el('span', { className: 'upload-progress__text' })]);
      this.bubble.append(this.progress);
    }
    this.progress.querySelector('progress')?.setAttribute('value', String(percent));
    const label = this.progress.querySelector('.upload-progress__text');
    if (label) label.textContent = sent >= total ? 'Uploaded' : `Uploading ${percent}%`;
  }

  /** Shows a day heading above this row (label) or none (null). */
  setDayLabel(label: string | null): void {
    if (label === this.shownDayLabel) return;
    this.shownDayLabel = label;
    if (label === null) {
      this.daySeparator?.remove();
      this.daySeparator = null;
      return;
    }
    const separator = el('div', { className: 'day-sep', attrs: { role: 'separator', 'aria-label': label } }, [el('span', { className: 'day-sep__label', text: label })]);
    if (this.daySeparator) this.daySeparator.replaceWith(separator);
    else this.element.prepend(separator);
    this.daySeparator = separator;
  }

  /** Consecutive messages from the same sender show the name once (it stays readable to screen readers). */
  setSenderShown(shown: boolean): void {
    if (shown === this.senderShown) return;
    this.senderShown = shown;
    this.element.classList.toggle('msg--continued', !shown);
  }

  private build(): void {
    const message = this.message;
    const layout = layoutOf(message);
    this.element.className = `msg msg--${layout} msg--kind-${safeKindClass(message.kind)}`;
    this.element.classList.toggle('msg--continued', !this.senderShown);
    this.element.dataset.key = message.key;
    this.sender = el('div', { className: 'sender', attrs: { dir: 'auto' } });
    this.content = renderContent(message);
    this.downloads?.applyTo(this.content, message.key);
    this.meta = el('div', { className: 'meta' });
    this.bubble = el('div', { className: 'bubble' }, [this.sender, this.content, this.meta]);
    this.actions = null;
    this.replyButton = null;
    this.progress = null;
    this.element.replaceChildren(...(this.daySeparator ? [this.daySeparator] : []), this.bubble);
    this.renderSender();
    this.renderMeta();
    this.renderActions();
    this.renderReplyButton();
  }

  /** A real button (Tab reaches it, Enter and Space press it), shown faintly until the row is hovered or focused. */
  private renderReplyButton(): void {
    const wanted = this.replies && canReplyTo(this.message);
    if (wanted === (this.replyButton !== null)) return;
    if (!wanted) {
      this.replyButton?.remove();
      this.replyButton = null;
      return;
    }
    const who = layoutOf(this.message) === 'out' ? 'your message' : 'this message';
    this.replyButton = el('button', { className: 'msg__reply', attrs: { type: 'button', title: 'Reply', 'aria-label': `Reply to ${who}` }, data: { action: REPLY_ACTION } }, [icons.reply()]);
    this.bubble.append(this.replyButton);
  }

  private renderSender(): void {
    const message = this.message;
    const layout = layoutOf(message);
    if (layout === 'center') this.sender.replaceChildren();
    else if (layout === 'out') this.sender.replaceChildren(srOnly('You'));
    else this.sender.replaceChildren(...revealed(message.senderName ?? ''));
  }

  private renderMeta(): void {
    const message = this.message;
    if (message.kind === 'gap') {
      this.meta.replaceChildren();
      return;
    }
    const time = el('time', { className: 'time', text: formatClock(message.time), attrs: { datetime: isoTime(message.time), title: formatTimeTitle(message.time, message.rawTime) } });
    const status = message.direction === 'out' && message.status ? statusElement(message.status) : null;
    this.meta.replaceChildren(...[time, status].filter((node): node is HTMLElement => node !== null));
  }

  private renderActions(): void {
    const next = actionsElement(this.message);
    if (this.actions) this.actions.remove();
    this.actions = next;
    if (next) this.bubble.append(next);
  }
}
