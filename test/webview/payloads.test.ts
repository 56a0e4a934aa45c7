// Structured messages in the pane: each kind with its payload, and each one's readable fallback
// when the payload is missing or unusable. Clicks on links and venue buttons go to the host as
// `link/open` (the host confirms); nothing navigates.
import * as assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import type { ChatMessage } from '../../src/shared/model';
import { MINUTE, T0, message } from './fixtures';
import type { ChatPage } from './harness';
import { webviewSuite } from './suite';

function row(chat: ChatPage, m: ChatMessage): Locator {
  return chat.page.locator(`.msg[data-key="${m.key}"]`);
}

/** The element's text nodes joined with spaces (block boundaries leave no trace in textContent). */
async function textOf(locator: Locator): Promise<string> {
  const parts = await locator.evaluate((e) => {
    const out: string[] = [];
    const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) out.push(node.textContent ?? '');
    return out;
  });
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}

async function rawText(locator: Locator): Promise<string> {
  return locator.evaluate((e) => e.textContent ?? '');
}

/** Clicks `locator` and returns the URL the pane asked the host to open. */
async function opened(chat: ChatPage, locator: Locator): Promise<string> {
  await locator.dispatchEvent('click');
  const request = await chat.nextRequest('link/open');
  await chat.respond(request, { opened: true });
  return request.params.url;
}

describe('webview structured messages', () => {
  const suite = webviewSuite();

  describe('markdown', () => {
    it('formats a post from the token stream: emphasis, code, lists, quotes, tables, headings', async () => {
      const text = [
        '# Payment details',
        '',
        'Send **500 USDT** _today_, ~~not tomorrow~~, ref `A-42`.',
        '',
        '1. open the app',
        '2. paste',
        '',
        '- one',
        '- two',
        '',
        '> quoted',
        '',
        '| a | b |',
        '|---|---|',
        '| 1 | 2 |',
        '',
        '```',
        '<b>not html</b>',
        '```',
        'line one',
        'line two',
      ].join('\n');
      const m = message({ id: 'md', kind: 'markdown', text });
      const chat = await suite.openWith({ messages: [m] });
      const md = row(chat, m).locator('.markdown');
      assert.equal(await md.locator('.md-heading--1').innerText(), 'Payment details');
      assert.equal(await md.locator('strong').innerText(), '500 USDT');
      assert.equal(await md.locator('em').innerText(), 'today');
      assert.equal(await md.locator('s').innerText(), 'not tomorrow');
      assert.equal(await md.locator('code.md-code').innerText(), 'A-42');
      assert.deepEqual(await md.locator('ol > li').allInnerTexts(), ['open the app', 'paste']);
      assert.deepEqual(await md.locator('ul > li').allInnerTexts(), ['one', 'two']);
      assert.equal(await md.locator('blockquote').innerText(), 'quoted');
      assert.deepEqual(await md.locator('td').allInnerTexts(), ['1', '2']);
      assert.equal(await md.locator('pre code').evaluate((e) => e.textContent), '<b>not html</b>\n');
      assert.equal(await md.locator('b').count(), 0, 'code is text, not markup');
      assert.equal(await md.locator('br').count(), 1, 'a line break in a paragraph is kept (chat style)');
      // Every block is a bidi isolate, like the plain text block.
      for (const dir of await md.locator('p, li, blockquote, td, th').evaluateAll((els) => els.map((e) => e.getAttribute('dir')))) assert.equal(dir, 'auto');
    });

    it('shows raw HTML literally and opens links only through the host, saying where a link really goes', async () => {
      const text = [
        '<b>bold?</b> <img src=x>',
        '[pay here](https://pay.example/x?a=1)',
        '[https://bank.example/login](https://evil.example/login)',
        'bare https://plain.example/p and www.web.example',
        '[script](javascript:alert(1)) [mail](mailto:a@b.example)',
        '![receipt](https://media.example/r.png)',
      ].join('\n\n');
      const m = message({ id: 'mdl', kind: 'markdown', text });
      const chat = await suite.openWith({ messages: [m] });
      const md = row(chat, m).locator('.markdown');
      assert.match(await rawText(md), /^<b>bold\?<\/b> <img src=x>/);
      assert.equal(await md.locator('b, img').count(), 0);
      assert.equal(await chat.page.locator('#app [href], #app [src]').count(), 0, 'no href or src anywhere');
      const links = md.locator('[data-link-url]');
      assert.deepEqual(await links.allInnerTexts(), [
        'pay here',
        'https://bank.example/login',
        'https://plain.example/p',
        'Image: receipt',
      ]);
      assert.match(await rawText(md), /and www\.web\.example/, 'a bare host without a scheme stays text, as in plain messages');
      assert.deepEqual(await md.locator('.md-link__host').evaluateAll((els) => els.map((e) => e.textContent)), [' (pay.example)', ' (evil.example)']);
      assert.match(await rawText(md), /\[script\]\(javascript:alert\(1\)\) mail/, 'a javascript: link stays literal text');
      assert.equal(await md.locator('.md-link--inert').innerText(), 'mail', 'mailto: shows its words, opens nothing');
      assert.equal(await opened(chat, links.nth(0)), 'https://pay.example/x?a=1');
      assert.equal(await opened(chat, links.nth(1)), 'https://evil.example/login');
      assert.equal(await opened(chat, links.nth(2)), 'https://plain.example/p');
      assert.equal(await opened(chat, links.nth(3)), 'https://media.example/r.png', 'an image is offered as a link, never loaded');
      await md.locator('.md-link--inert').dispatchEvent('click');
      await chat.expectNoRequest('link/open');
    });

    it('shows a very long post as plain text, collapsed', async () => {
      const m = message({ id: 'mdlong', kind: 'markdown', text: `**start** ${'word '.repeat(5000)}` });
      const chat = await suite.openWith({ messages: [m] });
      assert.equal(await row(chat, m).locator('.markdown').count(), 0);
      assert.match(await row(chat, m).locator('.text').evaluate((e) => e.textContent ?? ''), /^\*\*start\*\* word/);
      assert.equal(await row(chat, m).locator('.text--collapsed').count(), 1);
    });
  });

  it('renders contacts, and falls back to a labelled text without a payload', async () => {
    const one = message({ id: 'c1', kind: 'contact', text: undefined, payload: { type: 'contact', contacts: [{ name: 'Bob Trader', phone: '+1 555 0100', email: 'bob@example.com' }] } });
    const two = message({ id: 'c2', kind: 'contact', text: undefined, time: T0 + 1, payload: { type: 'contact', contacts: [{ phone: '+44 20 7946 0000' }, { userId: '7000101' }] } });
    const bare = message({ id: 'c3', kind: 'contact', text: 'Bob +1 555 0100', time: T0 + 2 });
    const chat = await suite.openWith({ messages: [one, two, bare] });
    assert.equal(await textOf(row(chat, one).locator('.content')), 'Contact Bob Trader Phone: +1 555 0100 E-mail: bob@example.com');
    assert.equal(await row(chat, one).locator('[data-link-url]').count(), 0, 'phone and e-mail are text, not links');
    assert.equal(await rawText(row(chat, two).locator('.content__label')), '2 contacts');
    assert.deepEqual(await row(chat, two).locator('.contact__name').allInnerTexts(), ['+44 20 7946 0000', '7000101']);
    assert.match(await textOf(row(chat, bare).locator('.content--contact')), /^Contact Bob \+1 555 0100$/);
  });

  it('renders a location with a map link that opens through the host', async () => {
    const loc = message({ id: 'l1', kind: 'location', text: undefined, payload: { type: 'location', latitude: 48.8566, longitude: 2.3522, name: 'Meeting point', address: 'Place de la Concorde' } });
    const bare = message({ id: 'l2', kind: 'location', text: '48.85, 2.35', time: T0 + 1 });
    const chat = await suite.openWith({ messages: [loc, bare] });
    const content = row(chat, loc).locator('.content--location');
    assert.equal(await content.locator('.location__name').innerText(), 'Meeting point');
    assert.equal(await content.locator('.location__address').innerText(), 'Place de la Concorde');
    assert.equal(await content.locator('.location__coordinates').innerText(), '48.85660, 2.35220');
    const url = await opened(chat, content.locator('.location__map'));
    assert.equal(url, 'https://www.openstreetmap.org/?mlat=48.856600&mlon=2.352200#map=16/48.856600/2.352200');
    assert.match(await textOf(row(chat, bare).locator('.content--location')), /^Location 48\.85, 2\.35$/);
  });

  it('renders stickers from the payload picture, its name, or the text', async () => {
    const media = suite.server.mediaOrigin;
    const picture = message({ id: 's1', kind: 'sticker', text: undefined, payload: { type: 'sticker', stickerId: 'st-1', name: 'thumbs', url: `${media}/pixel.png` } });
    const named = message({ id: 's2', kind: 'sticker', text: undefined, time: T0 + 1, payload: { type: 'sticker', stickerId: 'st-2', name: 'party' } });
    const emoji = message({ id: 's3', kind: 'sticker', text: '👍', time: T0 + 2 });
    const chat = await suite.openWith({ messages: [picture, named, emoji] });
    await chat.page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('img.media--sticker');
      return img !== null && img.complete && img.naturalWidth === 1;
    });
    assert.equal(await row(chat, picture).locator('[data-link-url]').count(), 0, 'a sticker is not a link');
    assert.equal(await textOf(row(chat, named).locator('.content')), 'Sticker “party”');
    assert.equal(await textOf(row(chat, emoji).locator('.content')), '👍');
  });

  it('renders a card: cover from the media host, title, description and action buttons', async () => {
    const media = suite.server.mediaOrigin;
    const card = message({
      id: 'card1',
      kind: 'card',
      text: undefined,
      payload: {
        type: 'card',
        title: 'Invoice 42',
        description: 'Pay 500 USDT by 18:00',
        coverUrl: `${media}/pixel.png`,
        actions: [
          { label: 'Pay now', action: 'https://pay.example/42', color: '#FF0000' },
          { label: 'Open in Mixin', action: 'mixin://apps/42' },
        ],
      },
    });
    const blocked = message({ id: 'card2', kind: 'card', text: undefined, time: T0 + 1, payload: { type: 'card', title: 'Blocked cover', coverUrl: 'https://cover.not-allowed.example/c.png', actions: [] } });
    const bare = message({ id: 'card3', kind: 'card', text: 'Order summary', time: T0 + 2 });
    const chat = await suite.openWith({ messages: [card, blocked, bare] });
    const content = row(chat, card).locator('.content--card');
    assert.equal(await content.locator('.card__title').innerText(), 'Invoice 42');
    assert.equal(await content.locator('.card__description').innerText(), 'Pay 500 USDT by 18:00');
    await chat.page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('img.card__cover');
      return img !== null && img.complete && img.naturalWidth === 1;
    });
    const buttons = content.locator('.action-button');
    assert.deepEqual(await buttons.allInnerTexts(), ['Pay now', 'Open in Mixin']);
    assert.equal(await buttons.first().evaluate((e) => getComputedStyle(e).borderTopColor), 'rgb(255, 0, 0)', 'the venue colour, set through the CSSOM');
    assert.equal(await opened(chat, buttons.first()), 'https://pay.example/42');
    assert.equal(await buttons.nth(1).getAttribute('aria-disabled'), 'true');
    await buttons.nth(1).dispatchEvent('click');
    await chat.expectNoRequest('link/open');
    // A cover outside the allowed media hosts is blocked by the CSP and becomes a link.
    const fallback = row(chat, blocked).locator('.media-fallback');
    await fallback.waitFor();
    assert.equal(await fallback.locator('[data-link-url]').innerText(), 'https://cover.not-allowed.example/c.png');
    assert.match(await textOf(row(chat, bare).locator('.content--card')), /^Card Order summary$/);
  });

  it('renders venue buttons that open through the host by click or Enter, and falls back without a payload', async () => {
    const buttons = message({
      id: 'b1',
      kind: 'buttons',
      text: 'Confirm the payment?',
      payload: { type: 'buttons', buttons: [{ label: 'Yes', action: 'https://bot.example/yes' }, { label: 'No', action: 'https://bot.example/no' }] },
    });
    const bare = message({ id: 'b2', kind: 'buttons', text: 'Confirm payment?', time: T0 + 1 });
    const chat = await suite.openWith({ messages: [buttons, bare] });
    const content = row(chat, buttons).locator('.content--buttons');
    assert.match(await textOf(content), /^Confirm the payment\? Yes No$/);
    assert.equal(await opened(chat, content.locator('.action-button').first()), 'https://bot.example/yes');
    await content.locator('.action-button').nth(1).focus();
    await chat.page.keyboard.press('Enter');
    assert.equal((await chat.nextRequest('link/open')).params.url, 'https://bot.example/no');
    assert.match(await textOf(row(chat, bare).locator('.content--buttons')), /answer on the venue.*Confirm payment\?/i);
  });

  it('renders a live stream as its thumbnail and a link, never a player', async () => {
    const media = suite.server.mediaOrigin;
    const live = message({ id: 'lv1', kind: 'live', text: undefined, payload: { type: 'live', url: 'https://live.example/s.m3u8', thumbUrl: `${media}/pixel.png`, width: 64, height: 36 } });
    const odd = message({ id: 'lv2', kind: 'live', text: undefined, time: T0 + 1, payload: { type: 'live', url: 'rtmp://live.example/s' } });
    const bare = message({ id: 'lv3', kind: 'live', text: 'Live now', time: T0 + 2 });
    const chat = await suite.openWith({ messages: [live, odd, bare] });
    assert.equal(await row(chat, live).locator('video, audio').count(), 0);
    assert.equal(await row(chat, live).locator('img.media--image').count(), 1);
    assert.equal(await opened(chat, row(chat, live).locator('.live__open')), 'https://live.example/s.m3u8');
    assert.match(await textOf(row(chat, odd).locator('.content--live')), /no web address.*rtmp:\/\/live\.example\/s/);
    assert.equal(await row(chat, odd).locator('[data-link-url]').count(), 0);
    assert.match(await textOf(row(chat, bare).locator('.content--live')), /^Live Live now$/);
  });

  it('shows a voice note’s waveform and duration, also when it cannot play', async () => {
    const media = suite.server.mediaOrigin;
    const waveform = Array.from({ length: 100 }, (_, i) => (i * 37) % 256);
    const playable = message({ id: 'a1', kind: 'audio', text: undefined, attachments: [{ kind: 'audio', url: `${media}/hang/v.ogg`, name: 'voice.ogg', durationMs: 4000, waveform }] });
    const unplayable = message({ id: 'a2', kind: 'audio', text: undefined, time: T0 + 1, attachments: [{ kind: 'audio', ref: 'att-9', durationMs: 65_000, waveform: [0, 128, 255] }] });
    const chat = await suite.openWith({ messages: [playable, unplayable] });
    assert.equal(await row(chat, playable).locator('audio.media--audio').count(), 1);
    assert.equal(await row(chat, playable).locator('.waveform__bar').count(), 40, 'bucketed to 40 bars');
    assert.equal(await row(chat, playable).locator('.waveform').getAttribute('aria-label'), 'Voice waveform, 0:04');
    assert.deepEqual(
      await row(chat, unplayable).locator('.waveform__bar').evaluateAll((els) => els.map((e) => e.className)),
      ['waveform__bar waveform__bar--0', 'waveform__bar waveform__bar--4', 'waveform__bar waveform__bar--7'],
    );
    assert.equal(await row(chat, unplayable).locator('.audio__duration').innerText(), 'Voice message · 1:05');
    assert.equal(await row(chat, unplayable).locator('audio').count(), 0);
  });

  it('shows the quoted message above a reply of any kind', async () => {
    const reply = message({ id: 'q1', text: 'yes, sent', quote: { venueMessageId: 'm0', senderName: 'alice_p2p', text: 'did you pay?' } });
    const imageReply = message({ id: 'q2', kind: 'image', text: 'receipt', time: T0 + 1, quote: {}, attachments: [{ kind: 'image', url: `${suite.server.mediaOrigin}/pixel.png` }] });
    const chat = await suite.openWith({ messages: [reply, imageReply] });
    const quote = row(chat, reply).locator('.quote');
    assert.equal(await quote.locator('.quote__sender').innerText(), 'alice_p2p');
    assert.equal(await quote.locator('.quote__text').innerText(), 'did you pay?');
    assert.equal(await quote.getAttribute('aria-label'), 'Reply to alice_p2p');
    assert.equal(await row(chat, reply).locator('.content > :first-child').evaluate((e) => e.className), 'quote', 'the quote comes first');
    assert.equal(await row(chat, reply).locator('.text').innerText(), 'yes, sent');
    assert.equal(await row(chat, imageReply).locator('.quote__sender').innerText(), 'Reply to an earlier message');
  });

  it('says "Your message" only for a quote the host marks as ours; a counterparty named "You" stays a name', async () => {
    const toOurs = message({ id: 'q3', text: 'ok', quote: { venueMessageId: 'm1', fromUs: true, text: 'send the receipt' } });
    const spoof = message({ id: 'q4', text: 'pay now', time: T0 + 1, quote: { venueMessageId: 'm2', senderName: 'You', text: 'I confirm the release' } });
    const chat = await suite.openWith({ messages: [toOurs, spoof] });
    const ours = row(chat, toOurs).locator('.quote');
    assert.equal(await ours.locator('.quote__sender').innerText(), 'Your message');
    assert.equal(await ours.getAttribute('aria-label'), 'Reply to your message');
    assert.equal(await ours.evaluate((e) => e.classList.contains('quote--own')), true);
    const theirs = row(chat, spoof).locator('.quote');
    assert.equal(await theirs.locator('.quote__sender').innerText(), 'You');
    assert.equal(await theirs.getAttribute('aria-label'), 'Reply to You');
    assert.equal(await theirs.evaluate((e) => e.classList.contains('quote--own')), false);
  });

  it('shows a withdrawn message without its content, and withdraws a shown one in place', async () => {
    const secret = 'IBAN DE00 1234 5678';
    const shown = message({ id: 'r1', text: secret, quote: { text: 'quoted secret' }, attachments: [{ kind: 'file', url: 'https://f.example/a', name: 'secret.pdf' }] });
    const recalledAlready = message({ id: 'r2', kind: 'image', text: secret, recalled: true, time: T0 + 1 });
    const event = message({ id: 'r3', kind: 'recall', direction: 'system', text: undefined, senderName: 'alice_p2p', time: T0 + 2, payload: { type: 'recall', targetVenueMessageId: 'r1' } });
    const chat = await suite.openWith({ messages: [shown, recalledAlready, event] });
    assert.equal(await textOf(row(chat, recalledAlready).locator('.bubble')).then((t) => t.includes('IBAN')), false);
    assert.match(await textOf(row(chat, recalledAlready).locator('.content--recalled')), /^Message withdrawn$/);
    assert.equal(await textOf(row(chat, event).locator('.content--recall')), 'alice_p2p withdrew a message');
    assert.match((await row(chat, event).getAttribute('class')) ?? '', /msg--center/);
    assert.match(await textOf(row(chat, shown)), /IBAN/);
    await chat.notify('message/upsert', { messages: [{ ...shown, recalled: true }] });
    await chat.page.waitForFunction((key) => document.querySelector(`.msg[data-key="${key}"] .content--recalled`) !== null, shown.key);
    const after = await textOf(row(chat, shown));
    assert.equal(after.includes('IBAN') || after.includes('secret'), false, 'neither the text, the quote nor the file name remain');
  });

  it('shows order events as a centred line, with details when the venue also sent text', async () => {
    const bare = message({ id: 'e1', kind: 'system', direction: 'system', text: undefined, payload: { type: 'system', event: 'paid', orderId: '42', state: 'BUYER_PAYED' } });
    const texted = message({ id: 'e2', kind: 'system', direction: 'system', text: 'The buyer marked the order as paid', time: T0 + 1, payload: { type: 'system', event: 'paid', orderId: '42' } });
    const empty = message({ id: 'e3', kind: 'system', direction: 'system', text: undefined, time: T0 + 2 });
    const chat = await suite.openWith({ messages: [bare, texted, empty] });
    assert.equal(await textOf(row(chat, bare).locator('.content--system')), 'Order 42: paid (BUYER_PAYED)');
    assert.equal(await textOf(row(chat, texted).locator('.system-text')), 'The buyer marked the order as paid');
    assert.equal(await textOf(row(chat, texted).locator('.system__details')), 'Order 42 · paid');
    assert.equal(await textOf(row(chat, empty).locator('.content--system')), 'Event');
    assert.match((await row(chat, bare).getAttribute('class')) ?? '', /msg--center/);
  });

  it('a bad payload costs the payload, a bad record costs one message, never the pane', async () => {
    const good = message({ id: 'ok', text: 'still here', time: T0 + 3 * MINUTE });
    const wrongKind = message({ id: 'wk', kind: 'card', text: 'card text', payload: { type: 'location', latitude: 1, longitude: 2 } });
    const malformedBase = message({ id: 'mf', kind: 'buttons', text: 'pick one', time: T0 + MINUTE });
    const malformed: unknown = { ...malformedBase, payload: { type: 'buttons', buttons: [{ label: '' }, 'x'] } };
    const broken = { key: 42, text: 'no key' };
    const chat = await suite.openWith({ messages: [wrongKind, malformed, broken, good] as ChatMessage[] });
    assert.equal(await chat.page.locator('.msg').count(), 3);
    assert.match(await textOf(row(chat, wrongKind).locator('.content--card')), /^Card card text$/);
    assert.match(await textOf(row(chat, malformedBase).locator('.content--buttons')), /pick one/);
    assert.equal(await row(chat, malformedBase).locator('.action-button').count(), 0);
    assert.equal(await textOf(row(chat, good).locator('.text')), 'still here');
  });
});
