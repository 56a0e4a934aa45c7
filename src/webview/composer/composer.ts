// The reply box. Sending is idempotent from the user's side: a message keeps one client id from
// the first attempt until the host accepts it, and the box is cleared only after acceptance, so a
// lost reply or a double Enter can never turn into two different sends.
import * as l10n from '@vscode/l10n';
import { countCharacters } from '../../shared/characterCount';
import { previewText } from '../../shared/messagePreview';
import type { ChatMessage, ComposerCapabilities, ConnectionState, Conversation } from '../../shared/model';
import type { PickedAttachment, RequestParams } from '../../shared/protocol';
import { revealed } from '../bidiReveal';
import { el } from '../dom';
import { VENUE_LABELS } from '../hostGuards';
import { icons } from '../icons';
import { formatNumber, slot, withNodes } from '../locale';
import { Debouncer, type Disposable, DisposableStore, listen } from '../lifecycle';
import { NO_ANSWER, type RpcClient, RpcError } from '../rpc';
import { parseHttpUrl } from '../safeUrl';
import type { UiStateStore } from '../uiState';
import { createButton, createTextArea, setButtonDisabled, setButtonLabel, setButtonPressed, type TextAreaHandle } from '../ui';
import { newClientMessageId } from './clientMessageId';
import { type MediaLinkKind, MediaLinkForm, type MediaLinkRequest } from './mediaLinkForm';
import { type SendGate, sendGateFor } from './sendGate';

/** Draft text is mirrored to the host this long after the last keystroke. */
export const DRAFT_SAVE_DELAY_MS = 1000;
/** Safari reports the Enter that ends a composition after `compositionend`; ignore Enter this soon after. */
const COMPOSITION_GRACE_MS = 30;

export interface ComposerDeps {
  readonly rpc: Pick<RpcClient, 'request'>;
  readonly state: UiStateStore;
  /** A send was accepted: the timeline brings the list to the bottom when it arrives. */
  onAccepted(clientMessageId: string): void;
}

type SendParams = RequestParams<'message/send'>;

/** The message the next send answers: its key for the host, and what the bar shows. */
interface ReplyTarget {
  readonly key: string;
  readonly senderName: string;
  readonly excerpt: string;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function structuredFailure(kind: 'location' | 'contact' | 'sticker', why: string): string {
  switch (kind) {
    case 'location':
      return l10n.t({ message: 'Could not send the location: {0}', args: [why], comment: ['{0} is why'] });
    case 'contact':
      return l10n.t({ message: 'Could not send the contact: {0}', args: [why], comment: ['{0} is why'] });
    case 'sticker':
      return l10n.t({ message: 'Could not send the sticker: {0}', args: [why], comment: ['{0} is why'] });
  }
}

/**
 * "The message is 2 characters too long." One message for any count, as before (the webview tests
 * expect the English "1 characters too long"); the comment tells translators it may be 1.
 */
function tooLong(what: 'message' | 'caption', over: number): string {
  if (what === 'message') return l10n.t({ message: 'The message is {0} characters too long.', args: [formatNumber(over)], comment: ['{0} is a number of characters (1 or more)'] });
  return l10n.t({ message: 'The caption is {0} characters too long.', args: [formatNumber(over)], comment: ['{0} is a number of characters (1 or more)'] });
}

/** The counter's tooltip: how many characters are left, or how many too many. */
function counterTitle(length: number, max: number): string {
  if (length > max) return length - max === 1 ? l10n.t('1 character over the limit') : l10n.t('{0} characters over the limit', formatNumber(length - max));
  return max - length === 1 ? l10n.t('1 character left') : l10n.t('{0} characters left', formatNumber(max - length));
}

export class Composer implements Disposable {
  readonly element: HTMLElement;
  private readonly box: TextAreaHandle;
  private readonly sendButton: HTMLElement;
  private readonly attachButton: HTMLElement;
  private readonly mediaLinkButton: HTMLElement;
  private readonly locationButton: HTMLElement;
  private readonly contactButton: HTMLElement;
  private readonly stickerButton: HTMLElement;
  /** Sends the box as a post (markdown) instead of plain text, where the venue has posts. */
  private readonly postToggle: HTMLElement;
  private postMode = false;
  private readonly replyBar: HTMLElement;
  private readonly replyText: HTMLElement;
  private readonly replyCancel: HTMLElement;
  private reply: ReplyTarget | null = null;
  private readonly counter: HTMLElement;
  private readonly hint: HTMLElement;
  private readonly error: HTMLElement;
  private readonly mediaLink: MediaLinkForm;
  private readonly draftSave: Debouncer;
  private readonly disposables = new DisposableStore();
  private capabilities: ComposerCapabilities = { sendKinds: ['text'], mediaByUrl: false, canUpload: false, maxTextLength: 4000 };
  private gate: SendGate = { allowed: true };
  private composing = false;
  private compositionEndedAt = -Infinity;
  private busy = false;
  /** False until the first snapshot: typing works, sending waits for the conversation. */
  private opened = false;

  constructor(private readonly deps: ComposerDeps) {
    this.box = createTextArea({
      ariaLabel: l10n.t({ message: 'Message', comment: ['The text box the user writes a message in'] }),
      placeholder: l10n.t({ message: 'Write a message… ({0} to send, {1} for a new line)', args: ['Enter', 'Shift+Enter'], comment: ['{0} and {1} are keyboard keys'] }),
      rows: 3,
      className: 'composer__box' });
    this.sendButton = createButton({ label: l10n.t({ message: 'Send', comment: ['Button that sends the message'] }), appearance: 'primary', className: 'composer__send' });
    this.attachButton = createButton({
      appearance: 'icon',
      icon: icons.paperclip(),
      ariaLabel: l10n.t('Attach a file'),
      title: l10n.t('Attach a file (the text in the box becomes its caption)'),
      className: 'composer__attach',
    });
    this.mediaLinkButton = createButton({ label: l10n.t('Send media link…'), appearance: 'secondary', icon: icons.link(), className: 'composer__media-link' });
    this.locationButton = createButton({ label: l10n.t('Location…'), appearance: 'secondary', icon: icons.pin(), className: 'composer__location', title: l10n.t('Send a location (you enter it in VS Code)') });
    this.contactButton = createButton({ label: l10n.t('Contact…'), appearance: 'secondary', icon: icons.person(), className: 'composer__contact', title: l10n.t('Send a contact (you enter it in VS Code)') });
    this.stickerButton = createButton({ label: l10n.t('Sticker…'), appearance: 'secondary', icon: icons.smiley(), className: 'composer__sticker', title: l10n.t('Send a sticker (you pick it in VS Code)') });
    this.postToggle = createButton({
      label: l10n.t({ message: 'Post', comment: ['A toggle: send the text as a formatted post (Markdown)'] }),
      appearance: 'secondary',
      icon: icons.markdown(),
      className: 'composer__post',
      title: l10n.t('Send as a post: the text is shown as Markdown (headings, lists, links, code)'),
    });
    setButtonPressed(this.postToggle, false);
    this.replyText = el('span', { className: 'composer__reply-text', attrs: { dir: 'auto' } });
    this.replyCancel = createButton({ appearance: 'icon', icon: icons.close(), ariaLabel: l10n.t('Cancel reply'), title: l10n.t({ message: 'Cancel reply ({0})', args: ['Escape'], comment: ['{0} is a keyboard key'] }), className: 'composer__reply-cancel' });
    this.replyBar = el('div', { className: 'composer__reply', attrs: { hidden: '' } }, [icons.reply(), this.replyText, this.replyCancel]);
    this.counter = el('span', { className: 'composer__counter', attrs: { 'aria-live': 'off' } });
    this.hint = el('div', { className: 'composer__hint', attrs: { role: 'status' } });
    this.error = el('div', { className: 'composer__error', attrs: { role: 'alert' } });
    this.mediaLink = this.disposables.add(new MediaLinkForm((request) => this.sendMediaLink(request), () => this.box.focus()));
    this.element = el('div', { className: 'composer', attrs: { role: 'group', 'aria-label': l10n.t({ message: 'Reply', comment: ['The area where the user writes a reply'] }) } }, [
      this.hint,
      this.error,
      this.replyBar,
      this.box.element,
      el('div', { className: 'composer__bar' }, [
        el('div', { className: 'composer__tools' }, [this.attachButton, this.postToggle, this.mediaLinkButton, this.stickerButton, this.locationButton, this.contactButton]),
        this.counter,
        this.sendButton,
      ]),
      this.mediaLink.element,
    ]);
    this.draftSave = this.disposables.add(new Debouncer(() => this.postDraft(), DRAFT_SAVE_DELAY_MS));

    const area = this.box.element;
    this.disposables.add(listen(area, 'keydown', (event) => this.onKeyDown(event)));
    this.disposables.add(listen(area, 'input', () => this.onInput()));
    this.disposables.add(
      listen(area, 'compositionstart', () => {
        this.composing = true;
      }),
    );
    this.disposables.add(
      listen(area, 'compositionend', (event) => {
        this.composing = false;
        this.compositionEndedAt = event.timeStamp;
      }),
    );
    // Clicking Send must not take focus from the box: the user goes on typing.
    this.disposables.add(listen(this.sendButton, 'mousedown', (event) => event.preventDefault()));
    this.disposables.add(
      listen(this.sendButton, 'click', () => this.send()),
    );
    this.disposables.add(listen(this.attachButton, 'click', () => void this.pickAttachment()));
    this.disposables.add(listen(this.mediaLinkButton, 'click', () => (this.mediaLink.isOpen ? this.mediaLink.close() : this.mediaLink.open())));
    this.disposables.add(listen(this.locationButton, 'click', () => void this.composeStructured('location')));
    this.disposables.add(listen(this.contactButton, 'click', () => void this.composeStructured('contact')));
    this.disposables.add(listen(this.stickerButton, 'click', () => void this.composeStructured('sticker')));
    this.disposables.add(
      listen(this.postToggle, 'click', () => {
        this.setPostMode(!this.postMode);
        this.box.focus();
      }),
    );
    this.disposables.add(
      listen(this.replyCancel, 'click', () => {
        this.cancelReply();
        this.box.focus();
      }),
    );
    this.render();
  }

  /** Shows the composer for a conversation. `keepText` leaves what the user is typing alone (same conversation re-sent). */
  open(conversation: Conversation, capabilities: ComposerCapabilities, draft: string, keepText: boolean): void {
    this.capabilities = capabilities;
    // What the user typed before the first snapshot goes after the saved draft, as if typed at its end.
    const typedEarly = this.opened ? '' : this.box.value;
    this.opened = true;
    if (!keepText) {
      this.box.value = draft + typedEarly;
      this.setError('');
      this.mediaLink.close();
      this.cancelReply();
    }
    if (!capabilities.replies) this.cancelReply();
    if (typedEarly !== '') this.onInput();
    const kinds = (['image', 'video', 'file'] as const).filter((kind): kind is MediaLinkKind => capabilities.sendKinds.includes(kind));
    this.mediaLink.configure(VENUE_LABELS[conversation.venue], kinds.length > 0 ? kinds : ['image', 'video', 'file']);
    this.render();
  }

  /** The next message answers `message` (a quoted reply): the bar above the box says so until sent or cancelled. */
  replyTo(message: ChatMessage): void {
    if (!this.capabilities.replies || message.venueMessageId === undefined) return;
    const senderName =
      message.direction === 'out'
        ? l10n.t({ message: 'You', comment: ['In "Replying to You": the user is answering their own message'] })
        : (message.senderName ?? l10n.t({ message: 'them', comment: ['In "Replying to them": the sender of the message has no name'] }));
    this.reply = { key: message.key, senderName, excerpt: previewText(message) };
    // Counterparty words: bidi controls shown, never obeyed; text nodes only.
    const sender = el('span', { className: 'composer__reply-sender' }, revealed(this.reply.senderName));
    const excerpt = el('span', { className: 'composer__reply-excerpt' }, revealed(this.reply.excerpt));
    const label = (words: string): Node => el('span', { className: 'composer__reply-label', text: words });
    this.replyText.replaceChildren(
      ...(this.reply.excerpt
        ? withNodes(l10n.t({ message: 'Replying to {0}: {1}', args: [slot(0), slot(1)], comment: ['{0} is who wrote the message, {1} the start of it'] }), [sender, excerpt], label)
        : withNodes(l10n.t({ message: 'Replying to {0}', args: [slot(0)], comment: ['{0} is who wrote the message'] }), [sender, excerpt], label)),
    );
    this.replyBar.hidden = false;
    this.box.focus();
  }

  /** What the Send button does; the host's Send Message command (Ctrl+Enter) comes here too, so there is one way to send text. */
  send(): void {
    this.box.focus();
    void this.sendText();
  }

  cancelReply(): void {
    this.reply = null;
    this.replyBar.hidden = true;
    this.replyText.replaceChildren();
  }

  /** The reply target for a request, if the user is replying. */
  private replyParam(): { readonly replyTo?: { readonly key: string } } {
    return this.reply ? { replyTo: { key: this.reply.key } } : {};
  }

  setConnection(state: ConnectionState): void {
    this.gate = sendGateFor(state);
    this.render();
  }

  focus(): void {
    this.box.focus();
  }

  /** Posts a pending draft now (the page is going away). */
  flushDraft(): void {
    this.draftSave.flush();
  }

  /**
   * Drops a pending draft save. Used when the pane switches conversation: `draft/save` names no
   * conversation, so a late save could land in the new one (and a payment detail typed for one
   * counterparty must never show up prefilled for another).
   */
  discardPendingDraftSave(): void {
    this.draftSave.cancel();
  }

  // ---- input ----------------------------------------------------------------------------------

  private onKeyDown(event: KeyboardEvent): void {
    if (event.key === 'Escape' && this.reply && !event.isComposing && !this.composing) {
      event.preventDefault();
      event.stopPropagation();
      this.cancelReply();
      return;
    }
    if (event.key !== 'Enter' || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
    // While an input method is composing, Enter commits the composition; it must not send.
    // keyCode 229 is what Chromium reports for keys the IME consumed.
    if (event.isComposing || this.composing || event.keyCode === 229) return;
    if (event.timeStamp - this.compositionEndedAt < COMPOSITION_GRACE_MS) return;
    event.preventDefault();
    void this.sendText();
  }

  private onInput(): void {
    // Before the first snapshot the saved draft is not known yet: `open()` merges what was typed.
    if (!this.opened) {
      this.render();
      return;
    }
    const state = this.deps.state.current;
    const text = this.box.value;
    // A changed draft is a different message: it gets a fresh client id on its next send.
    this.deps.state.update({ draft: text, draftClientMessageId: text === state.draft ? state.draftClientMessageId : null });
    this.draftSave.schedule();
    this.setError('');
    this.render();
  }

  private postDraft(): void {
    this.deps.rpc.request('draft/save', { text: this.deps.state.current.draft.slice(0, 20_000) }).catch(() => {
      // Best effort: the draft also lives in the webview state.
    });
  }

  // ---- sending --------------------------------------------------------------------------------

  private textProblem(text: string): string | undefined {
    if (!this.opened) return l10n.t('The conversation is still loading; what you typed is kept.');
    if (!this.gate.allowed) return this.gate.reason;
    if (!this.capabilities.sendKinds.includes(this.postMode ? 'markdown' : 'text')) return this.postMode ? l10n.t('This conversation does not accept posts.') : l10n.t('This conversation does not accept text messages.');
    const length = countCharacters(text);
    if (length > this.capabilities.maxTextLength) return tooLong('message', length - this.capabilities.maxTextLength);
    return undefined;
  }

  private async sendText(): Promise<void> {
    if (this.busy) return;
    const text = this.box.value;
    if (text.trim() === '') return;
    const problem = this.textProblem(text);
    if (problem) {
      this.setError(problem);
      return;
    }
    const state = this.deps.state.current;
    const clientMessageId = state.draftClientMessageId ?? newClientMessageId();
    // Remember the id before the request: if the answer is lost, the retry reuses it.
    this.deps.state.update({ draft: text, draftClientMessageId: clientMessageId });
    const outcome = await this.submit({ clientMessageId, kind: this.postMode ? 'markdown' : 'text', text, ...this.replyParam() });
    if (!outcome.ok) this.setError(outcome.message);
    // Typing never blocks on the host; if the text changed meanwhile, that is a new message to keep.
    else if (this.box.value === text) this.clearBox();
  }

  private async pickAttachment(): Promise<void> {
    if (this.busy) return;
    if (!this.gate.allowed) {
      this.setError(this.gate.reason);
      return;
    }
    const caption = this.box.value.trim();
    const captionLength = countCharacters(caption);
    if (captionLength > this.capabilities.maxTextLength) {
      this.setError(tooLong('caption', captionLength - this.capabilities.maxTextLength));
      return;
    }
    if (this.capabilities.venueUpload) {
      await this.uploadThroughVenue(caption);
      return;
    }
    this.setBusy(true);
    let picked: PickedAttachment | undefined;
    try {
      picked = (await this.deps.rpc.request('attachment/pick', {})).attachment;
    } catch (error) {
      this.setError(l10n.t({ message: 'Could not attach the file: {0}', args: [errorText(error)], comment: ['{0} is why'] }));
      return;
    } finally {
      this.setBusy(false);
    }
    if (!picked) return; // the user closed the picker
    const url = parseHttpUrl(picked.url);
    if (!url) {
      this.setError(l10n.t('The uploaded file has no web address that can be sent.'));
      return;
    }
    const outcome = await this.submit({ clientMessageId: newClientMessageId(), kind: picked.kind, url: url.href, fileName: picked.name.slice(0, 255), text: caption, ...this.replyParam() });
    if (!outcome.ok) this.setError(outcome.message);
    else if (caption !== '' && this.box.value.trim() === caption) this.clearBox();
  }

  /** The venue has its own upload API: the host picks the files and queues one message each (progress shows on the rows). */
  private async uploadThroughVenue(caption: string): Promise<void> {
    this.setBusy(true);
    this.setError('');
    try {
      const { queued } = await this.deps.rpc.request('attachment/upload', { caption, ...this.replyParam() });
      for (const q of queued) this.deps.onAccepted(q.clientMessageId);
      if (queued.length > 0) this.cancelReply();
      if (queued.length > 0 && caption !== '' && this.box.value.trim() === caption) this.clearBox();
    } catch (error) {
      this.setError(l10n.t({ message: 'Could not send the file: {0}', args: [errorText(error)], comment: ['{0} is why'] }));
    } finally {
      this.setBusy(false);
    }
  }

  private async sendMediaLink(request: MediaLinkRequest): Promise<void> {
    if (!this.gate.allowed) throw new Error(this.gate.reason);
    if (countCharacters(request.caption) > this.capabilities.maxTextLength) throw new Error(l10n.t('The caption is too long.'));
    const params: SendParams = { clientMessageId: newClientMessageId(), kind: request.kind, url: request.url, text: request.caption, ...this.replyParam() };
    const outcome = await this.submit(request.fileName ? { ...params, fileName: request.fileName } : params);
    // The form shows the error next to the URL the user is fixing.
    if (!outcome.ok) throw new Error(outcome.message);
  }

  /** The host asks for the location, contact or sticker in VS Code (input boxes, a pick list) and queues it. */
  private async composeStructured(kind: 'location' | 'contact' | 'sticker'): Promise<void> {
    if (this.busy) return;
    if (!this.gate.allowed) {
      this.setError(this.gate.reason);
      return;
    }
    this.setBusy(true);
    this.setError('');
    try {
      const { queued } = await this.deps.rpc.request('compose/structured', { kind, ...this.replyParam() });
      if (queued) {
        this.deps.onAccepted(queued.clientMessageId);
        this.cancelReply();
      }
    } catch (error) {
      this.setError(structuredFailure(kind, errorText(error)));
    } finally {
      this.setBusy(false);
    }
  }

  /** Posts one `message/send`; ok when the host accepted it (it is in the outbox). */
  private async submit(params: SendParams): Promise<{ readonly ok: true } | { readonly ok: false; readonly message: string }> {
    this.setBusy(true);
    this.setError('');
    try {
      await this.deps.rpc.request('message/send', params);
      this.deps.onAccepted(params.clientMessageId);
      // The reply went out with this message (unless the user picked another one meanwhile).
      if (params.replyTo && this.reply?.key === params.replyTo.key) this.cancelReply();
      return { ok: true };
    } catch (error) {
      // Without an answer the outbox may well have the message: say so instead of "not sent".
      if (error instanceof RpcError && error.code === NO_ANSWER) {
        return { ok: false, message: l10n.t('The extension did not confirm the message; it may still be queued. Check the list; sending again is safe (it is recognised as the same message).') };
      }
      return { ok: false, message: l10n.t({ message: 'Not sent: {0}', args: [errorText(error)], comment: ['{0} is why'] }) };
    } finally {
      this.setBusy(false);
    }
  }

  private clearBox(): void {
    this.box.value = '';
    this.deps.state.update({ draft: '', draftClientMessageId: null });
    this.draftSave.schedule();
    this.render();
  }

  /** While a request is out, sending is off (no double send); typing stays possible. */
  private setBusy(busy: boolean): void {
    this.busy = busy;
    this.element.setAttribute('aria-busy', String(busy));
    this.render();
  }

  private setPostMode(on: boolean): void {
    this.postMode = on;
    setButtonPressed(this.postToggle, on);
    this.box.element.classList.toggle('composer__box--post', on);
    const label = on ? l10n.t('Send post') : l10n.t({ message: 'Send', comment: ['Button that sends the message'] });
    this.sendButton.setAttribute('aria-label', label);
    setButtonLabel(this.sendButton, label);
  }

  private setError(message: string): void {
    this.error.textContent = message;
    this.error.hidden = message === '';
  }

  private render(): void {
    const text = this.box.value;
    const max = this.capabilities.maxTextLength;
    const length = countCharacters(text);
    this.counter.textContent = `${formatNumber(length, { useGrouping: false })} / ${formatNumber(max, { useGrouping: false })}`;
    this.counter.classList.toggle('composer__counter--near', length > max * 0.9 && length <= max);
    this.counter.classList.toggle('composer__counter--over', length > max);
    this.counter.title = counterTitle(length, max);

    if (!this.gate.allowed) {
      this.hint.textContent = this.gate.reason;
      this.hint.className = 'composer__hint composer__hint--blocked';
    } else {
      this.hint.textContent = this.gate.hint ?? '';
      this.hint.className = 'composer__hint';
    }
    this.hint.hidden = this.hint.textContent === '';

    const problem = text.trim() === '' ? 'empty' : this.textProblem(text);
    setButtonDisabled(this.sendButton, this.busy || problem !== undefined);
    this.sendButton.title = problem && problem !== 'empty' ? problem : l10n.t({ message: 'Send ({0})', args: ['Enter'], comment: ['{0} is a keyboard key'] });
    this.attachButton.hidden = !this.capabilities.canUpload;
    setButtonDisabled(this.attachButton, this.busy || !this.gate.allowed);
    this.mediaLinkButton.hidden = !this.capabilities.mediaByUrl;
    this.locationButton.hidden = !this.capabilities.sendKinds.includes('location');
    this.contactButton.hidden = !this.capabilities.sendKinds.includes('contact');
    this.stickerButton.hidden = !this.capabilities.sendKinds.includes('sticker');
    this.postToggle.hidden = !this.capabilities.sendKinds.includes('markdown');
    if (this.postToggle.hidden && this.postMode) this.setPostMode(false);
    setButtonDisabled(this.locationButton, this.busy || !this.gate.allowed);
    setButtonDisabled(this.contactButton, this.busy || !this.gate.allowed);
    setButtonDisabled(this.stickerButton, this.busy || !this.gate.allowed);
    setButtonDisabled(this.mediaLinkButton, !this.gate.allowed);
    if (!this.capabilities.mediaByUrl) this.mediaLink.close();
  }

  dispose(): void {
    this.draftSave.flush();
    this.disposables.dispose();
  }
}
