// Every Mixin category in the pane: the messages are built by the adapter's real mapping
// (toChatMessage) from MessageViews whose payloads are the sandbox users' own showcase content, then
// rendered, and each row is checked for what a user must see.
import * as assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { withRecallsMarked } from '../../src/extension/core/inbox/recallMarks';
import { toChatMessage, type MixinMessageView } from '../../src/extension/venues/mixin/messageMapping';
import type { ChatMessage, Conversation } from '../../src/shared/model';
import { CARD_APP_ID, STICKER_ID, mixinMedia, userPayload, type ContentPorts } from '../../sandbox/mixin/content';
import { MINUTE, T0 } from './fixtures';
import type { ChatPage } from './harness';
import { webviewSuite } from './suite';
import { MARKDOWN_PAYLOADS, PAYLOADS, URL_PAYLOADS, asShown, assertClean, audit } from './xssCorpus';

const APP_ID = '7e0b0ab3-6a0f-4c8d-9c3e-1c3c6f9e2a11';
const ALICE = '773e5e77-4107-45c2-b648-8fc722ed77f5';
const BOB = '5d1c8a2e-3f4b-4c6d-8e9f-0a1b2c3d4e5f';

export const MIXIN_CONVERSATION: Conversation = {
  venue: 'mixin',
  accountId: 'mixin-1',
  conversationId: 'a2b1c0d9-8e7f-3a6b-9c5d-4e3f2a1b0c9d',
  title: 'Alice',
  lastActivity: T0,
  unread: 0,
  active: true,
};

/** A MessageView as Blaze pushes it: the payload base64 in `data`. */
export function mixinView(id: string, category: string, payload: Buffer | string | object, minute = 0, userId = ALICE): MixinMessageView {
  const bytes = Buffer.isBuffer(payload) ? payload : Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload), 'utf8');
  return {
    conversation_id: MIXIN_CONVERSATION.conversationId,
    user_id: userId,
    message_id: id,
    category,
    data: bytes.toString('base64'),
    status: 'DELIVERED',
    created_at: new Date(T0 + minute * MINUTE).toISOString(),
  };
}

/** The adapter's mapping; the sender's name is what the adapter adds from the user's profile. */
export function mapped(view: MixinMessageView, problems: string[] = []): ChatMessage {
  const message = toChatMessage(view, { accountId: MIXIN_CONVERSATION.accountId, appId: APP_ID, now: T0, problems });
  return message.direction === 'in' ? { ...message, senderName: 'Alice' } : message;
}

/**
 * The adapter gives a received attachment its view link (`GET /attachments/:id` → `view_url`)
 * before the message is stored; here the link points at the test's media host.
 */
export function withViewLink(message: ChatMessage, url: string): ChatMessage {
  return { ...message, attachments: message.attachments?.map((a) => (a.ref ? { ...a, url } : a)) };
}

/** The sandbox's content ports: attachments get ids, public assets are served by the test's media host. */
function showcasePorts(mediaOrigin: string, recallTarget: string): ContentPorts & { readonly attached: Map<string, string> } {
  const media = mixinMedia();
  const attached = new Map<string, string>();
  return {
    attached,
    attach(file) {
      const id = `0a7f3c2e-1b4d-4e6f-8a9b-${String(attached.size).padStart(12, '0')}`;
      attached.set(id, file.contentType);
      return id;
    },
    publicUrl: (name) => `${mediaOrigin}/pixel.png?asset=${encodeURIComponent(name)}`,
    file(name) {
      const file = media.get(name);
      if (!file) throw new Error(`no sandbox media named ${name}`);
      return file;
    },
    lastOwnMessageId: () => recallTarget,
    otherUserId: () => BOB,
  };
}

function row(chat: ChatPage, m: ChatMessage): Locator {
  return chat.page.locator(`.msg[data-key="${m.key}"]`);
}

async function textOf(locator: Locator): Promise<string> {
  return (await locator.evaluate((e) => e.textContent ?? '')).replace(/\s+/g, ' ').trim();
}

/** The image has loaded and decoded (CSP allowed it, the bytes are an image). */
async function loaded(img: Locator): Promise<boolean> {
  await img.evaluate((e) => (e as HTMLImageElement).decode().catch(() => undefined));
  return img.evaluate((e) => (e as HTMLImageElement).complete && (e as HTMLImageElement).naturalWidth > 0);
}

const MIXIN_SNAPSHOT = { conversation: MIXIN_CONVERSATION, venue: { name: 'Mixin Messenger', serverHistory: true } };

describe('webview: every Mixin category (real mapping, sandbox showcase payloads)', () => {
  const suite = webviewSuite();

  it('shows text, and a post as formatted markdown with raw HTML as text', async () => {
    const ports = showcasePorts(suite.server.mediaOrigin, 'x');
    const text = mapped(mixinView('m-text', 'PLAIN_TEXT', userPayload('PLAIN_TEXT', ports)));
    const post = mapped(mixinView('m-post', 'PLAIN_POST', userPayload('PLAIN_POST', ports), 1));
    const code = mapped(mixinView('m-post2', 'PLAIN_POST', '## Steps\n\n1. Open the bank app\n2. Pay **150.00**\n\n> keep the receipt\n\n```\nIBAN DE89 3704 0044 0532 0130 00\n```\n\n<div>html block</div>', 2));
    const chat = await suite.openWith({ ...MIXIN_SNAPSHOT, messages: [text, post, code] });

    assert.equal(await row(chat, text).locator('.text').innerText(), 'Hi! I sent the payment, please check.');
    assert.equal(await row(chat, text).locator('.sender').innerText(), 'Alice');

    const md = row(chat, post).locator('.markdown');
    assert.equal(await md.locator('.md-heading--1').innerText(), 'Payment details');
    assert.deepEqual(await md.locator('ul > li').allInnerTexts(), ['Amount: 150.00 USDT', 'Reference: P2P-4411']);
    assert.equal(await md.locator('strong').innerText(), 'Amount:');
    assert.equal(await md.locator('em').innerText(), 'Reference:');
    assert.equal(await md.locator('code').innerText(), 'P2P-4411');
    assert.equal(await md.locator('[data-link-url]').getAttribute('data-link-url'), 'https://mixin.one/pages/terms');
    assert.equal(await md.locator('[data-link-url]').innerText(), 'Terms');
    assert.equal(await md.locator('b').count(), 0, 'raw HTML makes no element');
    assert.match(await textOf(md), /<b>raw html stays text<\/b>/);

    const steps = row(chat, code).locator('.markdown');
    assert.equal(await steps.locator('.md-heading--2').innerText(), 'Steps');
    assert.deepEqual(await steps.locator('ol > li').allInnerTexts(), ['Open the bank app', 'Pay 150.00']);
    assert.equal(await steps.locator('blockquote').innerText(), 'keep the receipt');
    assert.equal(await steps.locator('pre > code').innerText(), 'IBAN DE89 3704 0044 0532 0130 00\n');
    assert.equal(await steps.locator('div').count(), 0);
    assert.match(await textOf(steps), /<div>html block<\/div>/);
  });

  it('shows an image: the full picture opening through the host, or the inline thumbnail while there is no link', async () => {
    const ports = showcasePorts(suite.server.mediaOrigin, 'x');
    const full = `${suite.server.mediaOrigin}/pixel.png?view=receipt`;
    const viewable = withViewLink(mapped(mixinView('m-img', 'PLAIN_IMAGE', userPayload('PLAIN_IMAGE', ports))), full);
    // The view link could not be fetched (the adapter logs it and keeps the message): the thumbnail shows.
    const thumbOnly = mapped(mixinView('m-img2', 'PLAIN_IMAGE', userPayload('PLAIN_IMAGE', ports), 1));
    const chat = await suite.openWith({ ...MIXIN_SNAPSHOT, messages: [viewable, thumbOnly] });

    const picture = row(chat, viewable).locator('.media-link img.media--image');
    assert.equal(await picture.getAttribute('src'), full);
    assert.equal(await picture.getAttribute('width'), '240');
    assert.equal(await picture.getAttribute('height'), '360');
    assert.ok(await loaded(picture));
    await row(chat, viewable).locator('.media-link').dispatchEvent('click');
    const [open] = await chat.requests('link/open');
    assert.equal(open?.params.url, full, 'a click asks the host to open the full image');

    const thumb = row(chat, thumbOnly).locator('img.media--image');
    assert.match((await thumb.getAttribute('src')) ?? '', /^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
    assert.ok(await loaded(thumb), 'the inline thumbnail passes the CSP and decodes');
    assert.equal(await row(chat, thumbOnly).locator('.media-link').count(), 0, 'nothing to open yet');
  });

  it('shows a file card with its name and size, a sticker, a contact and a location with its map link', async () => {
    const ports = showcasePorts(suite.server.mediaOrigin, 'x');
    const file = withViewLink(mapped(mixinView('m-file', 'PLAIN_DATA', userPayload('PLAIN_DATA', ports))), `${suite.server.mediaOrigin}/hang/invoice.pdf`);
    const sticker = mapped(mixinView('m-stk', 'PLAIN_STICKER', userPayload('PLAIN_STICKER', ports), 1));
    const contact = mapped(mixinView('m-ct', 'PLAIN_CONTACT', userPayload('PLAIN_CONTACT', ports), 2));
    const named = mapped(mixinView('m-ct2', 'PLAIN_CONTACT', { user_id: BOB, full_name: 'Bob Trader' }, 3));
    const location = mapped(mixinView('m-loc', 'PLAIN_LOCATION', userPayload('PLAIN_LOCATION', ports), 4));
    const chat = await suite.openWith({ ...MIXIN_SNAPSHOT, messages: [file, sticker, contact, named, location] });

    const pdf = ports.file('invoice.pdf').body.length;
    assert.equal(await row(chat, file).locator('.file-card__name').innerText(), 'invoice-4411.pdf');
    assert.equal(await row(chat, file).locator('.file-card__details').innerText(), `application/pdf · ${pdf} B`);
    assert.equal(await row(chat, file).locator('.file-card__open').getAttribute('data-link-url'), `${suite.server.mediaOrigin}/hang/invoice.pdf`);

    assert.equal(sticker.payload?.type === 'sticker' && sticker.payload.stickerId, STICKER_ID);
    assert.equal(await textOf(row(chat, sticker).locator('.content--sticker')), 'Sticker “thumbs-up”');

    assert.equal(await row(chat, contact).locator('.contact__name').innerText(), BOB, 'a contact without a name shows its user id');
    assert.equal(await row(chat, named).locator('.contact__name').innerText(), 'Bob Trader');
    assert.equal(await textOf(row(chat, named).locator('.contact__detail')), `User ID: ${BOB}`);

    const place = row(chat, location);
    assert.equal(await place.locator('.location__name').innerText(), 'Dubai Mall');
    assert.equal(await place.locator('.location__address').innerText(), 'Financial Center Rd, Dubai');
    assert.equal(await place.locator('.location__coordinates').innerText(), '25.20480, 55.27080');
    const map = await place.locator('.location__map').getAttribute('data-link-url');
    assert.match(map ?? '', /^https:\/\/www\.openstreetmap\.org\/\?mlat=25\.204800&mlon=55\.270800/);
    await place.locator('.location__map').dispatchEvent('click');
    assert.deepEqual((await chat.requests('link/open')).map((r) => r.params.url), [map]);
  });

  it('shows live (thumbnail and stream link), audio (player, waveform, length) and video (player with the thumbnail as poster)', async () => {
    const ports = showcasePorts(suite.server.mediaOrigin, 'x');
    const media = suite.server.mediaOrigin;
    const live = mapped(mixinView('m-live', 'PLAIN_LIVE', userPayload('PLAIN_LIVE', ports)));
    const audio = withViewLink(mapped(mixinView('m-aud', 'PLAIN_AUDIO', userPayload('PLAIN_AUDIO', ports), 1)), `${media}/hang/voice.ogg`);
    const unplayable = mapped(mixinView('m-aud2', 'PLAIN_AUDIO', userPayload('PLAIN_AUDIO', ports), 2));
    const video = withViewLink(mapped(mixinView('m-vid', 'PLAIN_VIDEO', userPayload('PLAIN_VIDEO', ports), 3)), `${media}/hang/clip.mp4`);
    const chat = await suite.openWith({ ...MIXIN_SNAPSHOT, messages: [live, audio, unplayable, video] });

    const stream = row(chat, live);
    assert.equal(await textOf(stream.locator('.live__label')), 'Live stream');
    const liveThumb = stream.locator('img.media--image');
    assert.equal(await liveThumb.getAttribute('src'), `${media}/pixel.png?asset=receipt_thumb.png`);
    assert.ok(await loaded(liveThumb));
    assert.equal(await stream.locator('.live__open').getAttribute('data-link-url'), `${media}/pixel.png?asset=clip.mp4`);

    const player = row(chat, audio).locator('audio.media--audio');
    assert.equal(await player.getAttribute('src'), `${media}/hang/voice.ogg`);
    assert.equal(await player.evaluate((e) => (e as HTMLAudioElement).controls), true);
    assert.equal(await textOf(row(chat, audio).locator('.media-caption')), 'Voice message · 0:03');
    assert.equal(await row(chat, audio).locator('.waveform .waveform__bar').count(), 40);
    assert.equal(await row(chat, audio).locator('.waveform').getAttribute('aria-label'), 'Voice waveform, 0:03');
    assert.equal(await row(chat, unplayable).locator('audio').count(), 0);
    assert.equal(await row(chat, unplayable).locator('.audio__duration').innerText(), 'Voice message · 0:03');

    const clip = row(chat, video).locator('video.media--video');
    assert.equal(await clip.getAttribute('src'), `${media}/hang/clip.mp4`);
    assert.equal(await clip.evaluate((e) => (e as HTMLVideoElement).controls), true);
    assert.match((await clip.getAttribute('poster')) ?? '', /^data:image\/png;base64,/);
    assert.equal(await textOf(row(chat, video).locator('.media-caption')), 'Video · 0:04');
  });

  it('shows an app card (cover, title, description, action) and a button group whose clicks go through the host', async () => {
    const ports = showcasePorts(suite.server.mediaOrigin, 'x');
    const card = mapped(mixinView('m-card', 'APP_CARD', userPayload('APP_CARD', ports)));
    const buttons = mapped(mixinView('m-btn', 'APP_BUTTON_GROUP', userPayload('APP_BUTTON_GROUP', ports), 1));
    const chat = await suite.openWith({ ...MIXIN_SNAPSHOT, messages: [card, buttons] });

    assert.equal(card.payload?.type === 'card' && card.payload.appId, CARD_APP_ID);
    const c = row(chat, card).locator('.card');
    assert.equal(await c.locator('.card__title').innerText(), 'Order #4411 <script>');
    assert.equal(await c.locator('.card__description').innerText(), 'Tap to open the order. "quotes" & <tags> stay text.');
    const cover = c.locator('img.card__cover');
    assert.equal(await cover.getAttribute('src'), `${suite.server.mediaOrigin}/pixel.png?asset=receipt.png`);
    assert.ok(await loaded(cover));
    const icon = c.locator('.card__head img.card__icon');
    assert.equal(await icon.getAttribute('src'), `${suite.server.mediaOrigin}/pixel.png?asset=receipt_thumb.png`);
    assert.equal(await icon.getAttribute('alt'), 'Icon of Order #4411 <script>');
    const action = c.locator('.action-button');
    assert.deepEqual(await action.allInnerTexts(), ['Open order']);
    assert.equal(await action.getAttribute('data-link-url'), 'https://mixin.one/apps/4411');
    assert.equal(await action.evaluate((e) => (e as HTMLElement).style.getPropertyValue('--action-color')), '#1E88E5');

    const group = row(chat, buttons).locator('.action-buttons');
    assert.deepEqual(await group.locator('.action-button').allInnerTexts(), ['Confirm paid', 'Cancel']);
    assert.equal(await group.locator('.action-button').first().evaluate((e) => (e as HTMLElement).style.getPropertyValue('--action-color')), '#2E7D32');
    // `input:cancel` is a bot command the pane cannot carry out: shown, inert.
    const inert = group.locator('.action-button--inert');
    assert.equal(await inert.innerText(), 'Cancel');
    assert.equal(await inert.getAttribute('aria-disabled'), 'true');

    const start = chat.page.url();
    await group.locator('.action-button').first().click();
    await inert.click();
    await action.click();
    // Every click is a request to the host (which shows the full URL and asks first); none navigates.
    assert.deepEqual((await chat.requests('link/open')).map((r) => r.params.url), ['https://mixin.one/confirm', 'https://mixin.one/apps/4411']);
    assert.equal(chat.page.url(), start);
    assert.equal(await chat.page.evaluate(() => document.querySelectorAll('a[href]').length), 0);
  });

  it('withdraws a recalled message: its content gives way to “Message withdrawn”, and the recall is a line', async () => {
    const ports = showcasePorts(suite.server.mediaOrigin, 'm-wrong');
    const wrong = mapped(mixinView('m-wrong', 'PLAIN_TEXT', 'IBAN DE00 0000 (wrong one)'));
    const kept = mapped(mixinView('m-kept', 'PLAIN_TEXT', 'IBAN DE89 3704 0044 0532 0130 00', 1));
    const recall = mapped(mixinView('m-recall', 'MESSAGE_RECALL', userPayload('MESSAGE_RECALL', ports), 2));
    const chat = await suite.openWith({ ...MIXIN_SNAPSHOT, messages: [wrong, kept] });
    assert.equal(await row(chat, wrong).locator('.text').innerText(), 'IBAN DE00 0000 (wrong one)');
    // What the hub stores and forwards when the recall arrives (inboxHub: withRecallsMarked over the store).
    const stored = new Map([wrong, kept].map((m) => [m.venueMessageId, m]));
    const forwarded = withRecallsMarked([recall], (_a, _c, id) => stored.get(id));
    assert.equal(forwarded.length, 2);
    await chat.notify('message/upsert', { messages: forwarded });
    await chat.page.waitForSelector(`.msg[data-key="${wrong.key}"] .content--recalled`);
    assert.equal(await textOf(row(chat, wrong).locator('.content--recalled')), 'Message withdrawn');
    assert.equal(await row(chat, wrong).locator('.text').count(), 0);
    assert.doesNotMatch(await textOf(row(chat, wrong)), /DE00/);
    assert.equal(await row(chat, kept).locator('.text').innerText(), 'IBAN DE89 3704 0044 0532 0130 00');
    assert.equal(await textOf(row(chat, recall).locator('.content--recall')), 'Alice withdrew a message');
  });

  it('shows system, encrypted and unknown categories as readable lines, never blank', async () => {
    const system = mapped(mixinView('m-sys', 'SYSTEM_CONVERSATION', { action: 'ADD', participant_id: BOB, user_id: ALICE }));
    const systemBare = mapped(mixinView('m-sys2', 'SYSTEM_ACCOUNT_SNAPSHOT', { amount: '1.5', asset_id: 'x' }, 1));
    const encrypted = mapped(mixinView('m-enc', 'ENCRYPTED_TEXT', Buffer.from([1, 2, 3, 250, 251]), 2));
    const ports = showcasePorts(suite.server.mediaOrigin, 'x');
    const unknown = mapped(mixinView('m-unk', 'PLAIN_HOLOGRAM', userPayload('PLAIN_HOLOGRAM', ports), 3));
    const problems: string[] = [];
    const broken = mapped(mixinView('m-bad', 'PLAIN_IMAGE', 'not json at all', 4), problems);
    const chat = await suite.openWith({ ...MIXIN_SNAPSHOT, messages: [system, systemBare, encrypted, unknown, broken] });

    assert.equal(await textOf(row(chat, system).locator('.system-text')), 'conversation: add');
    assert.equal(await textOf(row(chat, systemBare).locator('.system-text')), 'account snapshot');
    assert.equal(await textOf(row(chat, encrypted).locator('.text')), '[an end-to-end encrypted text message, which a bot cannot read]');
    assert.equal(await textOf(row(chat, unknown).locator('.text')), '[PLAIN_HOLOGRAM]');
    assert.equal(await textOf(row(chat, broken).locator('.text')), '[PLAIN_IMAGE]');
    assert.equal(problems.length, 1, 'the unreadable payload is reported');
    for (const m of [system, systemBare, encrypted, unknown, broken]) assert.notEqual(await textOf(row(chat, m)), '', `${m.key} is not blank`);
  });
});

/** A colour that tries to smuggle CSS in with the button's style. */
const HOSTILE_COLORS = ['red;background:url(https://evil.example/x.png)', '#fff;background-image:url(javascript:window.__xss=1)', '#12345g', 'expression(window.__xss=1)'];

/** The style attributes inside message rows (the timeline's own row chunks carry their sizing outside them). */
async function styles(chat: ChatPage): Promise<string[]> {
  return chat.page.locator('.msg [style], .msg[style]').evaluateAll((els) => els.map((e) => e.getAttribute('style') ?? ''));
}

/** Every rendered link asks the host (http(s) only) and nothing navigates the page. */
async function clickEveryLink(chat: ChatPage): Promise<void> {
  const start = chat.page.url();
  const urls = await chat.page.locator('[data-link-url]').evaluateAll((els) => els.map((e) => e.getAttribute('data-link-url') ?? ''));
  // Parsed URLs: spaces, double quotes and angle brackets are percent-encoded (a single quote may stay: inert data).
  for (const url of urls) assert.match(url, /^https?:\/\/[^\s"<>]+$/);
  for (let i = 0; i < urls.length; i++) await chat.page.locator('[data-link-url]').nth(i).dispatchEvent('click');
  const opened = await chat.requests('link/open');
  assert.equal(opened.length, urls.length);
  for (const request of opened) assert.match(request.params.url, /^https?:\/\//);
  assert.equal(chat.page.url(), start);
}

/** Nothing from the data pretends to be the pane: one row per message, the adapter's sender name only. */
async function assertNotSpoofed(chat: ChatPage, messages: readonly ChatMessage[]): Promise<void> {
  assert.equal(await chat.page.locator('.msg').count(), messages.length, 'one row per message');
  const senders = await chat.page.locator('.sender').evaluateAll((els) => els.map((e) => e.textContent));
  for (const sender of senders) assert.equal(sender, 'Alice');
  assert.equal(await textOf(chat.page.locator('.header__title')), MIXIN_CONVERSATION.title);
}

describe('webview: the XSS corpus through every counterparty-controlled Mixin field (CSP bypassed)', () => {
  const suite = webviewSuite();

  it('PLAIN_TEXT and PLAIN_POST: text literal, markdown only inert known elements, links only through the host', async () => {
    const texts = PAYLOADS.map((p, i) => mapped(mixinView(`t${i}`, 'PLAIN_TEXT', p, i)));
    const posts = [...PAYLOADS, ...MARKDOWN_PAYLOADS].map((p, i) => mapped(mixinView(`p${i}`, 'PLAIN_POST', p, 100 + i)));
    const messages = [...texts, ...posts];
    const chat = await suite.openWith({ ...MIXIN_SNAPSHOT, messages }, { bypassCSP: true });
    await chat.page.waitForTimeout(300); // let any injected image fail and fire its handler
    const result = await audit(chat);
    assertClean(result);
    assert.deepEqual(result.images, [], 'no picture from text or a post');
    for (const m of texts) assert.equal(await row(chat, m).locator('.text').evaluate((e) => e.textContent), asShown(m.text));
    const tags = await chat.page.locator('.markdown *').evaluateAll((els) => [...new Set(els.map((e) => e.tagName))]);
    const allowed = new Set(['P', 'BR', 'STRONG', 'EM', 'S', 'CODE', 'PRE', 'UL', 'OL', 'LI', 'BLOCKQUOTE', 'TABLE', 'THEAD', 'TBODY', 'TR', 'TH', 'TD', 'HR', 'A', 'SPAN']);
    for (const tag of tags) assert.ok(allowed.has(tag), `markdown made only known elements (found ${tag})`);
    assert.equal(await chat.page.locator('.markdown [href], .markdown [src], .markdown [style]').count(), 0);
    // Raw HTML in a post is its text; a data: picture is named, never loaded.
    assert.equal(await row(chat, posts[1]!).locator('.markdown').evaluate((e) => e.textContent), PAYLOADS[1]);
    const dataImage = posts.find((m) => m.text?.startsWith('![x](data:image/png'));
    assert.equal(await textOf(row(chat, dataImage!).locator('.markdown')), '[Image: x]');
    await assertNotSpoofed(chat, messages);
    await clickEveryLink(chat);
    assertClean(await audit(chat));
  });

  it('APP_CARD and APP_BUTTON_GROUP: hostile title, description, labels, URLs and colours stay inert', async () => {
    const messages: ChatMessage[] = PAYLOADS.flatMap((p, i) => {
      const url = URL_PAYLOADS[i % URL_PAYLOADS.length]!;
      const color = HOSTILE_COLORS[i % HOSTILE_COLORS.length]!;
      return [
        mapped(mixinView(`card${i}`, 'APP_CARD', { app_id: p, icon_url: url, cover_url: url, title: p, description: p, action: url, shareable: true, actions: [{ label: p, color, action: url }, { label: p, color: '#123456', action: 'https://ok.example/act' }] }, i * 3)),
        // The deprecated single action only: it becomes the card's one button.
        mapped(mixinView(`legacy${i}`, 'APP_CARD', { title: p, description: p, action: url, cover_url: url }, i * 3 + 1)),
        mapped(mixinView(`btn${i}`, 'APP_BUTTON_GROUP', [{ label: p, color, action: url }, { label: p, color: '#ABCDEF', action: `https://ok.example/b${i}` }], i * 3 + 2)),
      ];
    });
    const chat = await suite.openWith({ ...MIXIN_SNAPSHOT, messages }, { bypassCSP: true });
    await chat.page.waitForTimeout(300);
    const result = await audit(chat);
    assertClean(result);
    for (const src of result.images) assert.match(src, /^https:\/\/ok\.example\//, 'only an http(s) cover loads');
    const literal = (selector: string): Promise<string[]> => chat.page.locator(selector).evaluateAll((els) => els.map((e) => e.textContent ?? ''));
    assert.deepEqual(await literal('.msg[data-key*=":card"] .card__title'), PAYLOADS.map(asShown));
    assert.deepEqual(await literal('.msg[data-key*=":card"] .card__description'), PAYLOADS.map(asShown));
    assert.deepEqual(await literal('.msg[data-key*=":btn"] .action-button'), PAYLOADS.flatMap((p) => [asShown(p), asShown(p)]));
    // A colour is a vetted #RRGGBB custom property or nothing: no CSS rides in on it.
    const styleValues = await styles(chat);
    assert.ok(styleValues.length > 0);
    for (const style of styleValues) assert.match(style, /^--action-color: #[0-9a-f]{6};$/i);
    await assertNotSpoofed(chat, messages);
    await clickEveryLink(chat);
    assertClean(await audit(chat));
  });

  it('file, sticker, contact, location, live and image fields: shown literally, URLs only when http(s)', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.from('<svg onload=window.__xss=1><script>window.__xss=1</script>')]);
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="window.__xss=1"/>');
    const messages: ChatMessage[] = PAYLOADS.flatMap((p, i) => {
      const url = URL_PAYLOADS[i % URL_PAYLOADS.length]!;
      const m = i * 10;
      return [
        mapped(mixinView(`file${i}`, 'PLAIN_DATA', { attachment_id: `att-f${i}`, mime_type: p, size: 1234, name: p }, m)),
        mapped(mixinView(`stk${i}`, 'PLAIN_STICKER', { sticker_id: `stk-${i}`, name: p, album_id: p }, m + 1)),
        mapped(mixinView(`ct${i}`, 'PLAIN_CONTACT', { user_id: `user-${i}`, full_name: p }, m + 2)),
        mapped(mixinView(`loc${i}`, 'PLAIN_LOCATION', { latitude: 1.5, longitude: 2.5, name: p, address: p }, m + 3)),
        mapped(mixinView(`live${i}`, 'PLAIN_LIVE', { width: 640, height: 360, url, thumb_url: url, shareable: true }, m + 4)),
        // A thumbnail that is not PNG or JPEG bytes is dropped; PNG magic in front of markup is an undecodable picture, inert.
        mapped(mixinView(`img${i}`, 'PLAIN_IMAGE', { attachment_id: `att-i${i}`, mime_type: p, width: 10, height: 10, thumbnail: (i === 0 ? png : svg).toString('base64') }, m + 5)),
        withViewLink(mapped(mixinView(`vid${i}`, 'PLAIN_VIDEO', { attachment_id: `att-v${i}`, mime_type: p, duration: 1000, thumbnail: svg.toString('base64') }, m + 6)), url),
      ];
    });
    const chat = await suite.openWith({ ...MIXIN_SNAPSHOT, messages }, { bypassCSP: true });
    await chat.page.waitForTimeout(300);
    const result = await audit(chat);
    assertClean(result, 1);
    for (const src of result.images) assert.match(src, /^https:\/\/ok\.example\//);
    assert.equal(await chat.page.locator('video[poster]').count(), 0, 'no poster from an SVG thumbnail or a hostile URL');
    const literal = (selector: string): Promise<string[]> => chat.page.locator(selector).evaluateAll((els) => els.map((e) => e.textContent ?? ''));
    assert.deepEqual(await literal('.file-card__name'), PAYLOADS.map(asShown));
    assert.deepEqual(await literal('.sticker-name'), PAYLOADS.map((p) => asShown(`Sticker “${p}”`)));
    assert.deepEqual(await literal('.contact__name'), PAYLOADS.map(asShown));
    assert.deepEqual(await literal('.location__name'), PAYLOADS.map(asShown));
    assert.deepEqual(await literal('.location__address'), PAYLOADS.map(asShown));
    // A live stream without an http(s) address is not a stream: its row says which category it was.
    const lives = messages.filter((m) => m.key.includes(':live'));
    for (const m of lives) {
      if (m.kind === 'live') assert.match((await row(chat, m).locator('.live__open').getAttribute('data-link-url')) ?? '', /^https:\/\/ok\.example\//);
      else assert.equal(await textOf(row(chat, m).locator('.text')), '[PLAIN_LIVE]');
    }
    await assertNotSpoofed(chat, messages);
    await clickEveryLink(chat);
    assertClean(await audit(chat), 1);
  });
});
