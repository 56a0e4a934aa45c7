// One message in the list. Its element is built when the row is mounted and updated in place while
// it is (status changes must not rebuild the bubble, reload its image or lose focus).
import * as l10n from '@vscode/l10n';
import { formatNumber } from '../locale';
import type { ChatMessage } from '../../shared/model';
import { revealed } from '../bidiReveal';
import { el, srOnly } from '../dom';
import { formatClock, formatTimeTitle, isoTime, localDayKey } from './format';
import { renderContent } from './renderers';
import { actionsElement, statusElement } from './status';
import { icons } from '../icons';
import type { DownloadBook } from './downloads';
import { expandAllTexts } from './renderers/textBlock';

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
    a.gap?.filled !== b.gap?.filled ||
    a.recalled !== b.recalled ||
    !samePart(a.attachments, b.attachments) ||
    !samePart(a.payload, b.payload) ||
    !samePart(a.quote, b.quote)
  );
}

function safeKindClass(kind: string): string {
  return /^[a-z][a-z-]{0,30}$/.test(kind) ? kind : 'unknown';
}

/** The elements of a row while it is in the document. */
interface RowParts {
  readonly element: HTMLElement;
  readonly bubble: HTMLElement;
  readonly sender: HTMLElement;
  readonly meta: HTMLElement;
  actions: HTMLElement | null;
  replyButton: HTMLElement | null;
  progress: HTMLElement | null;
  daySeparator: HTMLElement | null;
}

/**
 * A message of the list and what the list knows about it (its grouping, upload progress, whether
 * the reader expanded its text). Its elements exist only while the row is mounted: the timeline is
 * virtualised, so a long chat keeps its messages here and only the rows near the viewport in the
 * document. Mounting builds the elements from this state; unmounting lets them go.
 */
export class MessageRow {
  private message: ChatMessage;
  private parts: RowParts | null = null;
  private dayLabel: string | null = null;
  private senderShown = true;
  private upload: { readonly sent: number; readonly total: number } | null = null;
  private textExpanded = false;
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
  }

  get current(): ChatMessage {
    return this.message;
  }

  get dayKey(): number {
    return this.cachedDayKey;
  }

  /** The row's element while it is mounted. */
  get element(): HTMLElement | undefined {
    return this.parts?.element;
  }

  /** Builds the row's elements (once while mounted) and returns its element. */
  mount(): HTMLElement {
    if (!this.parts) {
      const element = el('div', { attrs: { role: 'article', tabindex: '-1' } });
      this.parts = { element, bubble: element, sender: element, meta: element, actions: null, replyButton: null, progress: null, daySeparator: null };
      this.build();
      this.renderDayLabel();
      this.renderUpload();
    }
    return this.parts.element;
  }

  /** Lets the elements go (the caller has taken the element out of the document). */
  unmount(): void {
    this.parts = null;
  }

  /** Applies a newer version of the same message, touching only what changed. */
  update(next: ChatMessage): void {
    const previous = this.message;
    this.message = next;
    this.cachedDayKey = localDayKey(next.time);
    if (next.status !== 'queued' && next.status !== 'sending') this.upload = null;
    if (!this.parts) return;
    if (contentChanged(previous, next) || layoutOf(previous) !== layoutOf(next)) {
      this.build();
      return;
    }
    if (previous.key !== next.key) this.parts.element.dataset.key = next.key;
    if (previous.senderName !== next.senderName) this.renderSender();
    if (previous.time !== next.time || previous.rawTime !== next.rawTime || previous.status !== next.status) this.renderMeta();
    if (previous.status !== next.status || previous.failure !== next.failure || previous.clientMessageId !== next.clientMessageId) this.renderActions();
    if (previous.venueMessageId !== next.venueMessageId) this.renderReplyButton();
    this.renderUpload();
  }

  /** Shows how much of this message's file is uploaded (until the message leaves the queue). */
  setUploadProgress(sent: number, total: number): void {
    const done = this.message.status !== 'queued' && this.message.status !== 'sending';
    this.upload = done || total <= 0 ? null : { sent, total };
    this.renderUpload();
  }

  /** Shows a day heading above this row (label) or none (null). */
  setDayLabel(label: string | null): void {
    if (label === this.dayLabel) return;
    this.dayLabel = label;
    this.renderDayLabel();
  }

  /** Consecutive messages from the same sender show the name once (it stays readable to screen readers). */
  setSenderShown(shown: boolean): void {
    if (shown === this.senderShown) return;
    this.senderShown = shown;
    this.parts?.element.classList.toggle('msg--continued', !shown);
  }

  /** The reader chose "Show all" in this row: a rebuilt row shows its long texts in full. */
  noteTextExpanded(): void {
    this.textExpanded = true;
  }

  private build(): void {
    const parts = this.parts;
    if (!parts) return;
    const message = this.message;
    const layout = layoutOf(message);
    const element = parts.element;
    element.className = `msg msg--${layout} msg--kind-${safeKindClass(message.kind)}`;
    element.classList.toggle('msg--continued', !this.senderShown);
    element.dataset.key = message.key;
    const sender = el('div', { className: 'sender', attrs: { dir: 'auto' } });
    const content = renderContent(message);
    if (this.textExpanded) expandAllTexts(content);
    this.downloads?.applyTo(content, message.key);
    const meta = el('div', { className: 'meta' });
    const bubble = el('div', { className: 'bubble' }, [sender, content, meta]);
    this.parts = { element, bubble, sender, meta, actions: null, replyButton: null, progress: null, daySeparator: parts.daySeparator };
    element.replaceChildren(...(parts.daySeparator ? [parts.daySeparator] : []), bubble);
    this.renderSender();
    this.renderMeta();
    this.renderActions();
    this.renderReplyButton();
    this.renderUpload();
  }

  private renderDayLabel(): void {
    const parts = this.parts;
    if (!parts) return;
    const label = this.dayLabel;
    if (label === null) {
      parts.daySeparator?.remove();
      parts.daySeparator = null;
      return;
    }
    if (parts.daySeparator?.getAttribute('aria-label') === label) return;
    const separator = el('div', { className: 'day-sep', attrs: { role: 'separator', 'aria-label': label } }, [el('span', { className: 'day-sep__label', text: label })]);
    if (parts.daySeparator) parts.daySeparator.replaceWith(separator);
    else parts.element.prepend(separator);
    parts.daySeparator = separator;
  }

  private renderUpload(): void {
    const parts = this.parts;
    if (!parts) return;
    const upload = this.upload;
    if (!upload) {
      parts.progress?.remove();
      parts.progress = null;
      return;
    }
    const percent = Math.max(0, Math.min(100, Math.floor((upload.sent / upload.total) * 100)));
    if (!parts.progress) {
      parts.progress = el('div', { className: 'upload-progress' }, [el('progress', { attrs: { max: '100', value: '0', 'aria-label': l10n.t('Upload progress') } }), el('span', { className: 'upload-progress__text' })]);
      parts.bubble.append(parts.progress);
    }
    parts.progress.querySelector('progress')?.setAttribute('value', String(percent));
    const label = parts.progress.querySelector('.upload-progress__text');
    if (label) label.textContent = upload.sent >= upload.total ? l10n.t('Uploaded') : l10n.t({ message: 'Uploading {0}', args: [formatNumber(percent / 100, { style: 'percent' })], comment: ['{0} is a percentage, e.g. 25%'] });
  }

  /** A real button (Tab reaches it, Enter and Space press it), shown faintly until the row is hovered or focused. */
  private renderReplyButton(): void {
    const parts = this.parts;
    if (!parts) return;
    const wanted = this.replies && canReplyTo(this.message);
    if (wanted === (parts.replyButton !== null)) return;
    if (!wanted) {
      parts.replyButton?.remove();
      parts.replyButton = null;
      return;
    }
    const label = layoutOf(this.message) === 'out' ? l10n.t('Reply to your message') : l10n.t('Reply to this message');
    const title = l10n.t({ message: 'Reply ({0})', args: ['R'], comment: ['{0} is the keyboard key that starts a reply'] });
    parts.replyButton = el('button', { className: 'msg__reply', attrs: { type: 'button', title, 'aria-label': label }, data: { action: REPLY_ACTION } }, [icons.reply()]);
    parts.bubble.append(parts.replyButton);
  }

  private renderSender(): void {
    const parts = this.parts;
    if (!parts) return;
    const message = this.message;
    const layout = layoutOf(message);
    if (layout === 'center') parts.sender.replaceChildren();
    else if (layout === 'out') parts.sender.replaceChildren(srOnly(l10n.t({ message: 'You', comment: ['Read out as the sender of the user\'s own messages'] })));
    else parts.sender.replaceChildren(...revealed(message.senderName ?? ''));
  }

  private renderMeta(): void {
    const parts = this.parts;
    if (!parts) return;
    const message = this.message;
    if (message.kind === 'gap') {
      parts.meta.replaceChildren();
      return;
    }
    const time = el('time', { className: 'time', text: formatClock(message.time), attrs: { datetime: isoTime(message.time), title: formatTimeTitle(message.time, message.rawTime) } });
    const status = message.direction === 'out' && message.status ? statusElement(message.status) : null;
    parts.meta.replaceChildren(...[time, status].filter((node): node is HTMLElement => node !== null));
  }

  private renderActions(): void {
    const parts = this.parts;
    if (!parts) return;
    const next = actionsElement(this.message);
    parts.actions?.remove();
    parts.actions = next;
    if (next) parts.bubble.append(next);
  }
}
