// Hostile counterparties on every venue (issue 12): each payload of the corpus (xssCorpus.ts, ≥ 200)
// goes into every field a counterparty controls, in the venue's own raw shape, through the venue's
// own mapping (messageMapping.ts, the order-to-conversation code) and the hub's check before the
// store (inboundFit.ts), then into the pane in headless Chromium with its CSP switched off, so the
// renderers alone must hold. Each page carries up to 150 messages (the timeline mounts a chat that
// short whole) and is audited once: nothing ran, no element or attribute came from the data, links
// only http(s) and only through the host, no bidi control acting anywhere, every counterparty row
// on the counterparty's side with no status ticks, and its words shown exactly as written.
import * as assert from 'node:assert/strict';
import { checkInbound, fitConversation } from '../../src/extension/core/inbox/inboundFit';
import { toChatMessage as binanceMessage, type BinanceMessageFields } from '../../src/extension/venues/binance/messageMapping';
import { binanceOrderSource } from '../../src/extension/venues/binance/orderSync';
import type { BinanceOrder } from '../../src/extension/venues/binance/api';
import type { BybitOrder, BybitOrderMessage, BybitSessionMessage } from '../../src/extension/venues/bybit/api';
import { fromOrderMessage, fromSessionMessage, toChatMessage as bybitMessage } from '../../src/extension/venues/bybit/messageMapping';
import { bybitOrderContext, bybitOrderConversation } from '../../src/extension/venues/bybit/orderMapping';
import type { MexcOrder } from '../../src/extension/venues/mexc/api';
import { toChatMessage as mexcMessage } from '../../src/extension/venues/mexc/messageMapping';
import { mexcOrderConversation } from '../../src/extension/venues/mexc/orderMapping';
import type { MexcChatMessage } from '../../src/extension/venues/mexc/stream';
import { toChatMessage as mixinMessage, type MixinMessageView } from '../../src/extension/venues/mixin/messageMapping';
import type { MultiwaMessageRow } from '../../src/extension/venues/multiwa/api';
import { toChatMessage as multiwaMessage } from '../../src/extension/venues/multiwa/messageMapping';
import { BIDI_CONTROL_CLASS, revealBidiControls } from '../../src/shared/bidiControls';
import { readConversation } from '../../src/shared/conversationValidator';
import type { ChatMessage, Conversation, VenueId } from '../../src/shared/model';
import { T0, snapshot } from './fixtures';
import type { ChatPage } from './harness';
import { webviewSuite } from './suite';
import { CORPUS, URL_CORPUS, asShown, assertClean, audit } from './xssCorpus';

const ACCOUNT = 'acc-x';
const CONVERSATION_ID = '424242';
const MEDIA = 'https://media.example';
/** The timeline mounts a chat of up to this many messages whole (rowWindow.ts MOUNT_ALL_UP_TO). */
const PAGE = 150;

interface VenueCase {
  readonly venue: VenueId;
  readonly name: string;
  /** The messages a counterparty makes of payload `p` (the `i`th), every field it controls holding it. */
  readonly fields: (p: string, i: number) => ChatMessage[];
  /** The messages it makes of URL payload `u`, in every link field. */
  readonly links: (u: string, i: number) => ChatMessage[];
  /** The conversation of an order (or chat) whose counterparty-controlled fields all hold `p`. */
  readonly conversation: (p: string) => Conversation;
  /** A sender name the venue documents as its own (the message is then the venue's line, not the counterparty's). */
  readonly venueSender?: string;
}

const problems: string[] = [];

/** No lone surrogate (what encodeURIComponent needs). */
function wellFormed(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

// ---- MEXC: RECEIVE_MESSAGE pushes, order-list rows ------------------------------------------------

function mexcRaw(id: string, over: Partial<MexcChatMessage>): MexcChatMessage {
  return { id, content: '', conversationId: CONVERSATION_ID, type: 1, imageUrl: '', imageThumbUrl: '', videoUrl: '', fileUrl: '', createTime: '2025-01-15 10:00:00', self: false, fromUserId: '77', fromNickName: 'alice', ...over };
}

const mexc: VenueCase = {
  venue: 'mexc',
  name: 'MEXC',
  fields: (p, i) => [
    mexcMessage(mexcRaw(`t${i}`, { content: p, fromNickName: p }), { accountId: ACCOUNT, time: T0 + i }, problems),
    // The file name is the last segment of the link, decoded: the counterparty chooses it.
    // (Text that is not well-formed UTF-16 cannot be percent-encoded: the URL parser gets it as it is.)
    mexcMessage(mexcRaw(`f${i}`, { type: 4, content: p, fromNickName: p, fileUrl: `${MEDIA}/files/${wellFormed(p) ? encodeURIComponent(p) : p}` }), { accountId: ACCOUNT, time: T0 + i }, problems),
  ],
  links: (u, i) => [
    mexcMessage(mexcRaw(`ui${i}`, { type: 2, imageUrl: u, imageThumbUrl: u }), { accountId: ACCOUNT, time: T0 + i }, problems),
    mexcMessage(mexcRaw(`uv${i}`, { type: 3, videoUrl: u }), { accountId: ACCOUNT, time: T0 + i }, problems),
    mexcMessage(mexcRaw(`uf${i}`, { type: 4, fileUrl: u }), { accountId: ACCOUNT, time: T0 + i }, problems),
  ],
  conversation: (p) =>
    mexcOrderConversation(ACCOUNT, CONVERSATION_ID, { advOrderNo: '1234567890123456789', state: p, side: p, coinName: p, amount: p, tradableQuantity: p, price: p, fiatUnit: p, createTime: T0, userInfo: { nickName: p } } as MexcOrder, undefined),
};

// ---- Binance: chat frames and history items, order rows --------------------------------------------

function binance(fields: Omit<BinanceMessageFields, 'createTime'>, i: number): ChatMessage {
  return binanceMessage({ createTime: T0 + i, ...fields }, { accountId: ACCOUNT, orderNo: CONVERSATION_ID, now: T0 + 60_000, problems });
}

/** Frame types the Binance mapping reads (messageMapping.ts); the venue sets them, not the sender's words. */
const BINANCE_TYPES: ReadonlySet<string> = new Set(['text', 'auto_reply', 'image', 'video', 'system', 'recall', 'card']);

const binanceCase: VenueCase = {
  venue: 'binance',
  name: 'Binance',
  fields: (p, i) => [
    binance({ id: `t${i}`, type: 'text', content: p, fromNickName: p }, i),
    binance({ id: `a${i}`, type: 'auto_reply', content: p, fromNickName: p }, i),
    binance({ id: `i${i}`, type: 'image', content: p, fromNickName: p, imageUrl: `${MEDIA}/a.png`, thumbnailUrl: `${MEDIA}/t.png`, imageType: p }, i),
    binance({ id: `c${i}`, type: 'card', content: JSON.stringify({ title: p, description: p }), fromNickName: p }, i),
    // A message type this client does not know, named by the frame.
    // (Not one of the types the mapping knows: the type is the venue's word, see 'system' above.)
    ...(BINANCE_TYPES.has(p) ? [] : [binance({ id: `x${i}`, type: p, content: p, fromNickName: p }, i)]),
  ],
  links: (u, i) => [
    binance({ id: `ui${i}`, type: 'image', imageUrl: u, thumbnailUrl: u }, i),
    binance({ id: `uv${i}`, type: 'video', content: u, imageUrl: u }, i),
  ],
  conversation: (p) =>
    binanceOrderSource(ACCOUNT, {} as Parameters<typeof binanceOrderSource>[1]).toConversation(
      { orderNumber: CONVERSATION_ID, tradeType: p, asset: p, fiat: p, fiatSymbol: p, amount: p, totalPrice: p, unitPrice: p, orderStatus: p, createTime: T0, counterPartNickName: p, buyerNickname: p, sellerNickname: p } as BinanceOrder,
      undefined,
    ),
};

// ---- Bybit: both chat generations, order rows -----------------------------------------------------

const BYBIT_ME = { userId: '1001', nickName: 'me_trader' };

function bybitOrder(m: Partial<BybitOrderMessage> & { id: string }, i: number): ChatMessage {
  const raw = { message: '', contentType: 'str', msgType: 1, userId: '2002', roleType: 'user', createDate: T0 + i, nickName: 'bob', ...m } as BybitOrderMessage;
  return bybitMessage(fromOrderMessage(raw), { accountId: ACCOUNT, conversationId: CONVERSATION_ID, me: BYBIT_ME, baseUrl: 'https://api.bybit.example', now: T0 + 60_000, problems });
}

function bybitSession(m: Partial<BybitSessionMessage> & { id: string }, i: number): ChatMessage {
  const raw = { contentType: 'str', createDate: T0 + i, sendUserNickName: 'bob', ...m } as BybitSessionMessage;
  return bybitMessage(fromSessionMessage(raw, problems), { accountId: ACCOUNT, conversationId: CONVERSATION_ID, me: { nickName: BYBIT_ME.nickName }, baseUrl: 'https://api.bybit.example', now: T0 + 60_000, problems });
}

const bybit: VenueCase = {
  venue: 'bybit',
  name: 'Bybit',
  // The session API names no user ids or roles: "SYSTEM" (spelt so) is how it marks Bybit's own lines.
  venueSender: 'SYSTEM',
  fields: (p, i) => [
    bybitOrder({ id: `t${i}`, message: p, nickName: p }, i),
    bybitOrder({ id: `f${i}`, contentType: 'pdf', message: '/fiat/p2p/oss/showObj/a.pdf?e=1900000000', fileName: p, nickName: p }, i),
    bybitSession({ id: `s${i}`, message: JSON.stringify({ content: p, fileName: p }), sendUserNickName: p }, i),
    bybitSession({ id: `sp${i}`, contentType: 'pic', message: JSON.stringify({ content: `${MEDIA}/p.png`, fileName: p }), sendUserNickName: p }, i),
  ],
  links: (u, i) => [
    bybitOrder({ id: `ui${i}`, contentType: 'pic', message: u }, i),
    bybitOrder({ id: `uv${i}`, contentType: 'video', message: u }, i),
    bybitOrder({ id: `uf${i}`, contentType: 'pdf', message: u }, i),
  ],
  conversation: (p) => {
    const order = { id: CONVERSATION_ID, side: 0, tokenId: p, amount: p, currencyId: p, price: p, notifyTokenQuantity: p, targetNickName: p, status: 10, createDate: T0, transferLastSeconds: 600 } as BybitOrder;
    return bybitOrderConversation(ACCOUNT, order, bybitOrderContext(order, T0), undefined);
  },
};

// ---- MultiWA (WhatsApp): message rows of every kind -----------------------------------------------

function multiwa(row: Partial<MultiwaMessageRow> & { id: string }, quotedText?: string): ChatMessage {
  const full = { conversationId: CONVERSATION_ID, direction: 'incoming', type: 'text', timestamp: new Date(T0).toISOString(), ...row } as MultiwaMessageRow;
  return multiwaMessage(full, {
    accountId: ACCOUNT,
    gatewayOrigin: 'https://gateway.example',
    now: T0 + 60_000,
    // The adapter saves data: media to disk; http(s) passes as it is.
    mediaUrl: (raw) => (raw.startsWith('data:') ? undefined : raw),
    // The adapter's memory of quoted rows: the counterparty's own earlier words.
    quoted: (rowId) => (quotedText === undefined ? undefined : { venueMessageId: rowId, senderName: quotedText, text: quotedText }),
    problems,
  });
}

const multiwaCase: VenueCase = {
  venue: 'multiwa',
  name: 'WhatsApp (MultiWA)',
  fields: (p, i) => [
    multiwa({ id: `t${i}`, content: { text: p }, metadata: { senderName: p }, quotedMessageId: `q${i}` }, p),
    multiwa({ id: `i${i}`, type: 'image', content: { url: `${MEDIA}/a.jpg`, caption: p, mimetype: p, filename: p }, metadata: { senderName: p } }),
    multiwa({ id: `d${i}`, type: 'document', content: { url: `${MEDIA}/d.pdf`, caption: p, mimetype: p, filename: p }, metadata: { senderName: p } }),
    multiwa({ id: `l${i}`, type: 'location', content: { latitude: 1.5, longitude: 2.5, description: p, address: p }, metadata: { senderName: p } }),
    multiwa({ id: `c${i}`, type: 'vcard', content: { vcard: `BEGIN:VCARD\nVERSION:3.0\nFN:${p}\nTEL:+62 813 1111 000\nEND:VCARD`, displayName: p }, metadata: { senderName: p } }),
    multiwa({ id: `p${i}`, type: 'poll', content: { question: p, options: [p, 'B'] }, metadata: { senderName: p } }),
    multiwa({ id: `r${i}`, type: 'reaction', content: { emoji: p, messageId: `t${i}` }, metadata: { senderName: p } }),
    // A row type the client does not know, named by the row.
    multiwa({ id: `x${i}`, type: p, content: p, metadata: { senderName: p } }),
  ],
  links: (u, i) => [
    multiwa({ id: `ui${i}`, type: 'image', content: { url: u } }),
    multiwa({ id: `uv${i}`, type: 'video', content: { url: u } }),
    multiwa({ id: `ud${i}`, type: 'document', content: { url: u, filename: 'a.pdf' } }),
  ],
  // The adapter's title is the chat row's name (a WhatsApp push or contact name).
  conversation: (p) => ({ venue: 'multiwa', accountId: ACCOUNT, conversationId: CONVERSATION_ID, title: p, subtitle: p, preview: p, lastActivity: T0, unread: 0, active: true }),
};

// ---- Mixin: Blaze message views of every category ------------------------------------------------

const MIXIN_APP = '7e0b0ab3-6a0f-4c8d-9c3e-1c3c6f9e2a11';

function mixin(id: string, category: string, payload: string | object, i: number, senderName: string): ChatMessage {
  const data = Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload), 'utf8').toString('base64');
  const view: MixinMessageView = { conversation_id: CONVERSATION_ID, user_id: '773e5e77-4107-45c2-b648-8fc722ed77f5', message_id: id, category, data, created_at: new Date(T0 + i).toISOString(), quote_message_id: `q-${id}` };
  // The adapter adds the sender's profile name (their own choice).
  return { ...mixinMessage(view, { accountId: ACCOUNT, appId: MIXIN_APP, now: T0 + 60_000, problems }), senderName };
}

const mixinCase: VenueCase = {
  venue: 'mixin',
  name: 'Mixin',
  fields: (p, i) => [
    mixin(`t${i}`, 'PLAIN_TEXT', p, i, p),
    mixin(`m${i}`, 'PLAIN_POST', p, i, p),
    mixin(`f${i}`, 'PLAIN_DATA', { attachment_id: 'att-1', name: p, mime_type: p, size: 10 }, i, p),
    mixin(`c${i}`, 'PLAIN_CONTACT', { user_id: p, full_name: p }, i, p),
    mixin(`l${i}`, 'PLAIN_LOCATION', { latitude: 1.5, longitude: 2.5, name: p, address: p }, i, p),
    mixin(`s${i}`, 'PLAIN_STICKER', { sticker_id: p, name: p, album_id: p }, i, p),
    mixin(`a${i}`, 'APP_CARD', { title: p, description: p, app_id: p, actions: [{ label: p, action: 'https://ok.example/act', color: p }] }, i, p),
    mixin(`b${i}`, 'APP_BUTTON_GROUP', [{ label: p, action: 'https://ok.example/btn', color: p }], i, p),
    // A category the client does not know, named by the view.
    mixin(`x${i}`, p, p, i, p),
  ],
  links: (u, i) => [
    mixin(`ua${i}`, 'APP_CARD', { title: 'card', cover_url: u, icon_url: u, action: u }, i, 'alice'),
    mixin(`uc${i}`, 'APP_CARD', { title: 'card', actions: [{ label: 'Go', action: u }] }, i, 'alice'),
    mixin(`ub${i}`, 'APP_BUTTON_GROUP', [{ label: 'Go', action: u }], i, 'alice'),
    mixin(`ul${i}`, 'PLAIN_LIVE', { url: u, thumb_url: u }, i, 'alice'),
  ],
  // The adapter's title is the counterparty's profile name.
  conversation: (p) => ({ venue: 'mixin', accountId: ACCOUNT, conversationId: CONVERSATION_ID, title: p, preview: p, lastActivity: T0, unread: 0, active: true }),
};

const VENUES: readonly VenueCase[] = [mexc, binanceCase, bybit, multiwaCase, mixinCase];

/**
 * Through the hub's check before the store, as every inbound message goes. A payload never costs
 * the message, except where it is an id the message cannot do without (a sticker's), which the
 * store keeps exact or not at all (the hub reports the refusal as bad input).
 */
function stored(messages: readonly ChatMessage[]): ChatMessage[] {
  const fitted: string[] = [];
  const kept: ChatMessage[] = [];
  for (const m of messages) {
    const checked = checkInbound(m, fitted);
    if (typeof checked === 'string') assert.match(checked, /^payload (stickerId|albumId)\b.* is longer than/, `${m.key} was refused: ${checked}`);
    else kept.push(checked);
  }
  return kept;
}

/** Distinct keys (the mapping of a payload may repeat an id only if the test is wrong). */
function assertDistinctKeys(messages: readonly ChatMessage[]): void {
  assert.equal(new Set(messages.map((m) => m.key)).size, messages.length, 'one key per message');
}

interface RowView {
  readonly key: string;
  readonly className: string;
  readonly statuses: number;
  readonly sender: string | null;
  readonly text: string | null;
  readonly quoteSender: string | null;
  readonly quoteText: string | null;
}

interface PageView {
  readonly rows: RowView[];
  /** Text nodes and attribute values in the page that still hold a bidi control character. */
  readonly liveControls: string[];
  readonly links: string[];
  readonly markdownTags: string[];
  readonly markdownUrlAttributes: number;
  /** Rows reaching past the timeline's right edge (a huge word would push the pane's own controls away). */
  readonly overflowing: string[];
}

async function pageView(chat: ChatPage): Promise<PageView> {
  return chat.page.evaluate((controlClass) => {
    const control = new RegExp(controlClass);
    const app = document.getElementById('app') as HTMLElement;
    const liveControls: string[] = [];
    const walker = document.createTreeWalker(app, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) if (control.test(node.nodeValue ?? '')) liveControls.push(`text: ${(node.nodeValue ?? '').slice(0, 60)}`);
    // Attributes a person sees or hears (data-* attributes are inert data for the pane's own code).
    const shownAttribute = /^(title|alt|placeholder|aria-.*)$/;
    for (const e of app.querySelectorAll('*')) for (const a of e.attributes) if (shownAttribute.test(a.name) && control.test(a.value)) liveControls.push(`${e.tagName}[${a.name}]: ${a.value.slice(0, 60)}`);
    if (control.test(document.title)) liveControls.push(`document.title: ${document.title.slice(0, 60)}`);
    const textOf = (e: Element | null): string | null => (e ? (e.textContent ?? '') : null);
    return {
      rows: [...app.querySelectorAll<HTMLElement>('.msg')].map((row) => ({
        key: row.dataset.key ?? '',
        className: row.className,
        statuses: row.querySelectorAll('.status, .failure, .queued-actions').length,
        sender: textOf(row.querySelector('.sender')),
        text: textOf(row.querySelector(':scope .content--text > .text:not(.text--collapsed)')),
        quoteSender: textOf(row.querySelector('.quote__sender')),
        quoteText: textOf(row.querySelector('.quote__text')),
      })),
      liveControls,
      links: [...app.querySelectorAll('[data-link-url]')].map((e) => e.getAttribute('data-link-url') ?? ''),
      markdownTags: [...new Set([...app.querySelectorAll('.markdown *')].map((e) => e.tagName))],
      markdownUrlAttributes: app.querySelectorAll('.markdown [href], .markdown [src], .markdown [style]').length,
      overflowing: (() => {
        const scroller = document.querySelector('.timeline__scroller') as HTMLElement;
        const right = scroller.getBoundingClientRect().right + 1;
        const wide = [...app.querySelectorAll<HTMLElement>('.msg .bubble')].filter((b) => b.getBoundingClientRect().right > right).map((b) => b.closest<HTMLElement>('.msg')?.dataset.key ?? '');
        if (scroller.scrollWidth <= scroller.clientWidth + 1) return wide;
        // Name what sticks out: the outermost elements past the edge, with their row.
        const out = [...scroller.querySelectorAll<HTMLElement>('*')].filter((e) => e.getBoundingClientRect().right > right && !(e.parentElement && e.parentElement.getBoundingClientRect().right > right));
        return ['the timeline scrolls sideways', ...wide, ...out.slice(0, 5).map((e) => `${e.tagName}.${e.className} in ${e.closest<HTMLElement>('.msg')?.dataset.key ?? '?'}`)];
      })(),
    };
  }, BIDI_CONTROL_CLASS);
}

const MARKDOWN_TAGS = new Set(['P', 'BR', 'STRONG', 'EM', 'S', 'CODE', 'PRE', 'UL', 'OL', 'LI', 'BLOCKQUOTE', 'TABLE', 'THEAD', 'TBODY', 'TR', 'TH', 'TD', 'HR', 'A', 'SPAN']);

/**
 * Shows `messages` in one pane, `PAGE` at a time (each a snapshot of the conversation, which
 * replaces the timeline's rows), and audits each: one page load per venue and CSP setting, however
 * large the corpus. Returns how many snapshots it took.
 */
async function renderAndAudit(suite: ReturnType<typeof webviewSuite>, venue: VenueCase, messages: readonly ChatMessage[], bypassCSP: boolean): Promise<number> {
  const conversation: Conversation = { venue: venue.venue, accountId: ACCOUNT, conversationId: CONVERSATION_ID, title: 'counterparty', lastActivity: T0, unread: 0, active: true };
  const snapshotOf = (chunk: readonly ChatMessage[]) => snapshot({ conversation, messages: [...chunk], venue: { name: venue.name, serverHistory: true } });
  const chat = await suite.openWith(snapshotOf([]), { bypassCSP });
  const start = chat.page.url();
  let pages = 0;
  let opened = 0;
  for (let from = 0; from < messages.length; from += PAGE) {
    const chunk = messages.slice(from, from + PAGE);
    await chat.notify('conversation/snapshot', snapshotOf(chunk));
    await chat.page.waitForFunction((keys) => keys.every((k) => document.querySelector(`.msg[data-key="${CSS.escape(k)}"]`)), chunk.map((m) => m.key), { polling: 50 });
    pages++;
    await chat.frames();
    await chat.page.waitForTimeout(50); // an injected image would fail and fire its handler now
    assertClean(await audit(chat));
    const view = await pageView(chat);
    assert.deepEqual(view.liveControls, [], 'every bidi control is shown as a token, none acts');
    for (const tag of view.markdownTags) assert.ok(MARKDOWN_TAGS.has(tag), `markdown made only known elements (found ${tag})`);
    assert.equal(view.markdownUrlAttributes, 0, 'markdown elements carry no href, src or style');
    assert.deepEqual(view.overflowing, [], 'no word, however long, widens a bubble past the timeline');
    const rows = new Map(view.rows.map((r) => [r.key, r]));
    for (const m of chunk) {
      const row = rows.get(m.key);
      assert.ok(row, `${m.key} is shown`);
      // A counterparty's message is theirs: on their side, with no delivery ticks or failure line.
      if (m.direction === 'in') {
        assert.match(row.className, /\bmsg--in\b/, `${m.key} on the counterparty's side`);
        assert.equal(row.statuses, 0, `${m.key} shows no status of ours`);
        assert.equal(row.sender, asShown(m.senderName ?? ''), `${m.key}: sender shown as written`);
      }
      if (m.kind === 'text' && !m.recalled && row.text !== null) assert.equal(row.text, asShown(m.text ?? ''), `${m.key}: text shown as written`);
      if (m.quote?.text !== undefined) assert.equal(row.quoteText, asShown(m.quote.text), `${m.key}: quote shown as written`);
      if (m.quote?.senderName !== undefined) assert.equal(row.quoteSender, asShown(m.quote.senderName), `${m.key}: quoted sender shown as written`);
    }
    // Every link goes to the host as an http(s) URL; the page never navigates.
    for (const url of view.links) assert.match(url, /^https?:\/\//);
    opened += await chat.page.evaluate(() => {
      const links = [...document.querySelectorAll<HTMLElement>('[data-link-url]')];
      for (const link of links) link.click();
      return links.length;
    });
    const requests = await chat.requests('link/open');
    assert.equal(requests.length, opened, 'each click asks the host');
    for (const request of requests) assert.match(request.params.url, /^https?:\/\//);
    assert.equal(chat.page.url(), start);
    assertClean(await audit(chat));
  }
  await chat.close();
  return pages;
}

describe('hostile counterparties on every venue: the corpus in every counterparty field (real mappings, CSP off, then on)', () => {
  const suite = webviewSuite();

  for (const venue of VENUES) {
    it(`${venue.name}: every field a counterparty controls stays inert, literal and on their side`, async function () {
      this.timeout(180_000);
      problems.length = 0;
      const mapped = [...CORPUS.flatMap((p, i) => venue.fields(p, i)), ...URL_CORPUS.flatMap((u, i) => venue.links(u, i))];
      // Whatever the counterparty wrote, the mapping keeps the message theirs: never ours, never a system line.
      for (const m of mapped) if (m.senderName !== venue.venueSender || !m.key.includes(':s')) assert.equal(m.direction, 'in', `${m.key} (${m.kind}) stays the counterparty's`);
      assertDistinctKeys(mapped);
      const messages = stored(mapped.filter((m) => m.direction === 'in'));
      // With the CSP switched off (the renderers alone hold), then as shipped.
      for (const bypassCSP of [true, false]) assert.ok((await renderAndAudit(suite, venue, messages, bypassCSP)) > 1);
    });
  }

  it('every venue: conversation titles and order fields built from hostile order rows show literally in the header, the tab and the order line', async function () {
    this.timeout(120_000);
    for (const venue of VENUES) {
      const chat = await suite.openWith({ conversation: { ...venue.conversation('start'), conversationId: CONVERSATION_ID, accountId: ACCOUNT } }, { bypassCSP: true });
      // The hub's check before it keeps a conversation, as for every venue's conversations.
      const conversations = CORPUS.map((p) => fitConversation(venue.conversation(p), []));
      for (const c of conversations) assert.deepEqual(readConversation(c).problems, [], `${venue.name}: the conversation "${c.title.slice(0, 40)}" is one the pane accepts`);
      // Delivered the way VS Code delivers (a message event on the window), one after another in the page.
      const shown = await chat.page.evaluate((list) => {
        return list.map((conversation) => {
          window.dispatchEvent(new MessageEvent('message', { data: { method: 'conversation/update', params: { conversation } } }));
          const text = (selector: string): string => document.querySelector(selector)?.textContent ?? '';
          // The title element as set (the document.title getter collapses whitespace, drops NULs).
          return { title: text('.header__title'), subtitle: text('.header__subtitle'), order: text('.header__order'), tab: document.querySelector('title')?.textContent ?? '' };
        });
      }, conversations);
      conversations.forEach((c, i) => {
        const seen = shown[i]!;
        assert.equal(seen.title, asShown(c.title), `${venue.name}: title shown as written`);
        assert.equal(seen.tab, revealBidiControls(c.title), `${venue.name}: tab title with controls revealed`);
        // Order codes and amounts are venue words checked on the way in: a payload never reaches the order line.
        if (c.order) assert.ok(!seen.order.includes(CORPUS[i]!) || /^[A-Za-z0-9._-]{1,32}$/.test(CORPUS[i]!), `${venue.name}: order line made of checked fields`);
      });
      const view = await pageView(chat);
      assert.deepEqual(view.liveControls, []);
      assertClean(await audit(chat));
      await chat.close();
    }
  });
});
