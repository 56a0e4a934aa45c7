// The pane in another language (issue 13, part 5): rendered with a pseudo-localized bundle made
// from l10n/bundle.l10n.json (every letter accented, placeholders kept), driven through the states
// a chat goes through, every text of its chrome (text nodes, title, aria-label, placeholder, alt)
// must come from the bundle: a text still in plain English bypassed l10n. The conversation's own
// words are nonsense no English message contains, so they need no exclusion. Dates and numbers
// follow the page's language (German here); a bundle that cannot be read leaves the pane in English.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as L10nDev from '@vscode/l10n-dev';
import type { Page } from 'playwright-core';
import type { ChatMessage, ComposerCapabilities, Conversation } from '../../src/shared/model';
import { CONVERSATION, MINUTE, message } from './fixtures';
import { REPO_ROOT } from './harness';
import { webviewSuite } from './suite';

// Loaded from node_modules at run time (the tree-sitter parts of the package are not bundled).
const { getL10nPseudoLocalized } = createRequire(__filename)('@vscode/l10n-dev') as typeof L10nDev;

type Bundle = Record<string, string | { message: string; comment: string[] }>;
const english = JSON.parse(readFileSync(join(REPO_ROOT, 'l10n', 'bundle.l10n.json'), 'utf8')) as Bundle;
const pseudo = getL10nPseudoLocalized(english) as Record<string, string>;

const englishMessages = Object.values(english).map((value) => (typeof value === 'string' ? value : value.message));

/** Plain-ASCII words of a text, punctuation stripped ("Not sent: {0}" → not, sent). */
function plainWords(text: string): (string | null)[] {
  // null where a run of plain words breaks (a placeholder, a number, an accented word).
  return text.split(/\s+/).map((token) => {
    const word = token.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
    return /^[A-Za-z]+(?:['’][A-Za-z]+)?$/.test(word) ? word.toLowerCase() : null;
  });
}

function pairsOf(text: string): string[] {
  const words = plainWords(text);
  const out: string[] = [];
  for (let i = 0; i + 1 < words.length; i++) if (words[i] !== null && words[i + 1] !== null) out.push(`${words[i]} ${words[i + 1]}`);
  return out;
}

/** Every pair of adjacent English words in the bundle ("not sent", "sent when"...). */
const englishPairs = new Set(englishMessages.flatMap(pairsOf));
/** Every English message that is a whole text by itself ("Send", "Retry", "Offline"). */
const englishWhole = new Set(englishMessages.filter((m) => !/\{\d+\}/.test(m)).map((m) => m.trim()));

/** What in `texts` is English from the bundle: a whole message, or two adjacent English words of one. */
function untranslated(texts: readonly string[]): string[] {
  return texts.filter((text) => {
    const trimmed = text.trim();
    if (trimmed === '') return false;
    if (englishWhole.has(trimmed)) return true;
    return pairsOf(trimmed).some((pair) => englishPairs.has(pair));
  });
}

/** Every text node and every title, aria-label, placeholder and alt attribute in the pane. */
async function chromeTexts(chat: { readonly page: Page }): Promise<string[]> {
  return chat.page.evaluate(() => {
    const out: string[] = [];
    const app = document.getElementById('app');
    if (!app) return out;
    const walker = document.createTreeWalker(app, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      // Hidden subtrees are not shown (a hidden button still has its label checked below).
      if (parent?.closest('[hidden]')) continue;
      out.push(node.textContent ?? '');
    }
    for (const element of app.querySelectorAll('*')) {
      for (const name of ['title', 'aria-label', 'placeholder', 'alt']) {
        const value = element.getAttribute(name);
        if (value) out.push(value);
      }
    }
    // document.title is the host's title until a conversation's title replaces it.
    return out;
  });
}

// The conversation's own words: nothing an English message contains.
const PEER = 'Zqvx Wbrtl';
const conversation: Conversation = {
  ...CONVERSATION,
  title: `Qorpz 7 · ${PEER}`,
  subtitle: 'Vrzq 500 XQT',
  order: { orderNo: '4242', side: 'buy', asset: 'XQT', quantity: '500', fiat: 'ZRK', fiatAmount: '461.50', price: '0.923', state: 'awaiting-payment', venueState: 'QZ_PENDING', payBy: Date.now() + 10 * MINUTE },
};
const composer: ComposerCapabilities = {
  sendKinds: ['text', 'markdown', 'image', 'video', 'file', 'location', 'contact', 'sticker'],
  mediaByUrl: true,
  canUpload: true,
  replies: true,
  maxTextLength: 40,
};

function messages(now: number): ChatMessage[] {
  const t = (minutesAgo: number): number => now - minutesAgo * MINUTE;
  const m = (init: Parameters<typeof message>[0]): ChatMessage => message({ senderName: PEER, ...init }, conversation);
  const media = 'http://127.0.0.1:9/';
  return [
    // An older day, so a day heading shows the date in the page's language.
    m({ id: 'old', time: Date.UTC(2025, 0, 15, 10, 0, 0), text: 'zorp blik flumm' }),
    m({ id: 'gap', kind: 'gap', direction: 'system', text: undefined, time: t(60), gap: { from: t(125), to: t(60) } }),
    m({ id: 'hole', kind: 'gap', direction: 'system', text: undefined, time: t(59), gap: { from: t(90), to: t(70), filled: false } }),
    m({ id: 'in1', time: t(50), text: 'qwfp arst zxcv' }),
    m({ id: 'long', time: t(49), text: 'zq '.repeat(1440) + 'vv' }),
    m({ id: 'sent', direction: 'out', status: 'sent', clientMessageId: 'clientsent0001', time: t(48), text: 'brrk zzt' }),
    m({ id: 'read', direction: 'out', status: 'read', clientMessageId: 'clientread0001', time: t(47), text: 'plok qrrv' }),
    m({ id: 'fail', venueMessageId: undefined, direction: 'out', status: 'failed', failure: 'Xqzt vrmmp', clientMessageId: 'clientfail0001', time: t(46), text: 'vvq zmmr' }),
    m({ id: 'queued', venueMessageId: undefined, direction: 'out', status: 'queued', failure: 'Qrpt zzv', clientMessageId: 'clientqueu0001', time: t(45), text: 'krr pfft' }),
    m({ id: 'up', venueMessageId: undefined, direction: 'out', status: 'sending', clientMessageId: 'clientuplo0001', kind: 'file', text: undefined, time: t(44), attachments: [{ kind: 'file', name: 'qzv.pdf', url: `${media}qzv.pdf`, size: 1536 }] }),
    m({ id: 'img', kind: 'image', text: undefined, time: t(43), attachments: [{ kind: 'image', name: 'wqx.png', url: `${media}wqx.png` }] }),
    m({ id: 'file', kind: 'file', text: undefined, time: t(42), attachments: [{ kind: 'file', name: 'zrv.zip', url: `${media}zrv.zip`, size: 2_500_000, mimeType: 'zqx/vv' }] }),
    m({ id: 'expired', kind: 'file', text: undefined, time: t(41), attachments: [{ kind: 'file', name: 'qqv.zip', url: `${media}qqv.zip`, expiresAt: t(30) }] }),
    m({ id: 'voice', kind: 'audio', text: undefined, time: t(40), attachments: [{ kind: 'audio', voiceNote: true, durationMs: 3000, waveform: [10, 200, 90, 40] }] }),
    m({ id: 'loc', kind: 'location', text: undefined, time: t(39), payload: { type: 'location', latitude: 48.8566, longitude: 2.3522, name: 'Qzv Plk' } }),
    m({ id: 'contact', kind: 'contact', text: undefined, time: t(38), payload: { type: 'contact', contacts: [{ name: 'Vqz Rrk', phone: '+1 555 0100', email: 'vqz@example.com' }, { userId: '7000101' }] } }),
    m({ id: 'poll', kind: 'poll', text: undefined, time: t(37), payload: { type: 'poll', question: 'Qzz vrk?', options: ['Zzq', 'Vvq'], allowMultipleAnswers: true } }),
    m({ id: 'react', kind: 'reaction', text: undefined, time: t(36), payload: { type: 'reaction', emoji: '👍' } }),
    m({ id: 'unreact', kind: 'reaction', text: undefined, time: t(35), payload: { type: 'reaction', emoji: '' } }),
    m({ id: 'card', kind: 'card', text: undefined, time: t(34), payload: { type: 'card', title: 'Qvrz', coverUrl: `${media}c.png`, actions: [{ label: 'Zqk', action: 'qzapp://x' }] } }),
    m({ id: 'event', kind: 'system', direction: 'system', text: undefined, time: t(33), payload: { type: 'system', event: 'qzpd', orderId: '4242', state: 'QZ_PAYED' } }),
    m({ id: 'recall', kind: 'recall', direction: 'system', text: undefined, time: t(32) }),
    m({ id: 'recalled', recalled: true, time: t(31), text: 'zzv' }),
    m({ id: 'sticker', kind: 'sticker', text: undefined, time: t(30), payload: { type: 'sticker', stickerId: 'st-1', name: 'qzz' } }),
    m({ id: 'quote', time: t(29), text: 'vrq plm', quote: { venueMessageId: 'in1', senderName: PEER, text: 'qwfp arst zxcv' } }),
    m({ id: 'quoteOwn', time: t(28), text: 'vrq zmm', quote: { venueMessageId: 'read', fromUs: true, text: 'plok qrrv' } }),
    m({ id: 'live', kind: 'live', text: undefined, time: t(27), payload: { type: 'live', url: 'qtmp://live.example/s' } }),
    m({ id: 'md', kind: 'markdown', time: t(26), text: 'Qzv ![zqq](https://img.example/z.png) [vvz](https://a.example/)' }),
    m({ id: 'buttons', kind: 'buttons', time: t(25), text: 'Qqz?', payload: { type: 'buttons', buttons: [{ label: 'Zq', action: 'https://bot.example/q' }] } }),
    m({ id: 'odd', kind: 'hologram' as ChatMessage['kind'], time: t(24), text: 'zrrq' }),
    m({ id: 'last', time: t(1), text: 'qrvv zmmp' }),
  ];
}

describe('the pane in another language', function () {
  this.timeout(60_000);
  const suite = webviewSuite();

  it('shows no text of its own in English: every chrome string comes from the bundle', async () => {
    const now = Date.now();
    const html = suite.server.pageHtml(undefined, { language: 'de', l10nBundle: pseudo });
    const chat = await suite.open({ html, viewport: { width: 900, height: 9000 } });
    assert.equal(await chat.page.evaluate(() => document.documentElement.lang), 'de');
    // While loading.
    const loading = await chromeTexts(chat);
    assert.deepEqual(untranslated(loading), [], 'the loading placeholder');

    await chat.serve('history/page', () => {
      throw new Error('Zqxv prrt');
    });
    await chat.acceptReady();
    await chat.notify('conversation/snapshot', { conversation, messages: messages(now), before: 'cursor-1', connection: { kind: 'offline' }, composer, venue: { name: 'Qxv Zrt', serverHistory: true } });
    await chat.page.waitForSelector('.shell:not([hidden])');
    await chat.page.waitForSelector('.history-status__error');

    // Upload progress on the file being sent, a new message (announced), the reply bar.
    await chat.notify('upload/progress', { clientMessageId: 'clientuplo0001', sent: 25, total: 100 });
    await chat.notify('message/upsert', { messages: [message({ id: 'new', senderName: PEER, time: now, text: 'zzkv qrp' }, conversation)] });
    await chat.page.waitForSelector('.upload-progress__text');
    await chat.page.locator(`.msg[data-key$=":in1"] .msg__reply`).click();
    await chat.page.waitForSelector('.composer__reply:not([hidden])');
    // The media link form, open, with its error.
    await chat.page.locator('.composer__media-link').click();
    await chat.page.locator('.media-link-form__send').click();
    await chat.page.waitForSelector('#media-link-error:not(:empty)');
    // The composer refusing an over-long text (the counter's title, the error).
    await chat.page.locator('.composer__box').click();
    await chat.page.keyboard.type('qzvv '.repeat(10));
    await chat.page.keyboard.press('Enter');
    await chat.page.waitForSelector('.composer__error:not(:empty)');
    // A failed Retry reports in a notice of the pane's own; the host's notice has a Dismiss button.
    await chat.serve('message/retry', () => {
      throw new Error('Vzzq prk');
    });
    await chat.page.locator(`.msg[data-key$=":fail"] [data-action="retry"]`).click();
    await chat.notify('notice/show', { level: 'warning', message: 'Qvvz zrk' });
    await chat.page.waitForFunction(() => document.querySelectorAll('.notice').length === 2);
    await chat.page.waitForTimeout(200); // the announcer writes after a moment

    const texts = await chromeTexts(chat);
    const shown = texts.join('\n');
    assert.deepEqual(untranslated(texts), [], 'chrome texts in plain English');
    for (const key of ['Retry', 'Discard', 'Offline', 'Today', 'Show all ({0} characters)/A button under a long message cut short', 'Not connected: messages will send when reconnected.']) {
      const expected = (pseudo[key] ?? '').split('{0}')[0]!.trim();
      assert.ok(expected !== '' && shown.includes(expected), `"${key}" is shown pseudo-localized (${expected})`);
    }

    // Dates and numbers in the page's language.
    assert.match(shown, /Mittwoch, 15\. Januar 2025/, 'a day heading in German');
    assert.match(shown, /4\.322/, 'a character count with German grouping');
    assert.match(shown, /2,4 /, 'a file size with a German decimal comma');
  });

  it('shows the empty chat in the bundle\'s words', async () => {
    const html = suite.server.pageHtml(undefined, { language: 'qps-ploc', l10nBundle: pseudo });
    const chat = await suite.open({ html });
    assert.equal(await chat.page.evaluate(() => document.documentElement.lang), 'qps-ploc');
    await chat.acceptReady();
    await chat.notify('conversation/snapshot', { conversation: CONVERSATION, messages: [], connection: { kind: 'online', since: Date.now() }, composer, venue: { name: 'Qxv Zrt', serverHistory: false } });
    await chat.page.waitForSelector('.history-status__end');
    const texts = await chromeTexts(chat);
    assert.deepEqual(untranslated(texts), []);
    assert.match(await chat.page.locator('.history-status__end').innerText(), /^Qxv Zrt ķḗḗ/);
  });

  it('stays in English, not blank, when the bundle cannot be read', async () => {
    const html = suite.server.pageHtml(undefined, { language: 'fr', l10nBundle: { Send: 'x' } }).replace(/data-l10n="[^"]*"/, 'data-l10n="{not json"');
    assert.match(html, /data-l10n="\{not json"/);
    const chat = await suite.open({ html });
    await chat.page.waitForSelector('text=Loading conversation…');
    await chat.acceptReady();
    await chat.notify('conversation/snapshot', { conversation: CONVERSATION, messages: [], connection: { kind: 'online', since: Date.now() }, composer, venue: { name: 'MEXC P2P', serverHistory: true } });
    await chat.page.waitForSelector('.history-status__end');
    assert.equal(await chat.page.locator('.history-status__end').innerText(), 'No messages yet.');
    assert.equal((await chat.page.locator('.composer__send').innerText()).trim(), 'Send');
  });

  it('shows a translation as text, never as markup', async () => {
    const html = suite.server.pageHtml(undefined, { language: 'de', l10nBundle: { 'Send/Button that sends the message': '"><script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">' } });
    assert.equal(html.split('<script').length - 1, 1, 'one script tag');
    const chat = await suite.open({ html });
    await chat.acceptReady();
    await chat.notify('conversation/snapshot', { conversation: CONVERSATION, messages: [], connection: { kind: 'online', since: Date.now() }, composer, venue: { name: 'MEXC P2P', serverHistory: true } });
    await chat.page.waitForSelector('.history-status__end');
    assert.match(await chat.page.locator('.composer__send').innerText(), /^"><script>window\.__pwned = 1<\/script>/);
    assert.equal(await chat.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
  });
});
