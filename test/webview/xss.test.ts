// Counterparty content is untrusted (docs/architecture.md, Trust boundaries). These tests run with
// the page's CSP switched off (bypassCSP) so they prove the renderers themselves are safe: were any
// of this data ever parsed as HTML, the payloads below would run and set window.__xss.
import * as assert from 'node:assert/strict';
import type { ChatMessage } from '../../src/shared/model';
import { CONVERSATION, MINUTE, T0, message } from './fixtures';
import { webviewSuite } from './suite';
import { MARKDOWN_PAYLOADS, PAYLOADS, URL_PAYLOADS, asShown, assertClean, audit } from './xssCorpus';

describe('webview XSS corpus (CSP bypassed: the renderers alone must hold)', () => {
  const suite = webviewSuite();

  it('shows hostile text, sender names, captions and reasons literally and runs nothing', async () => {
    // Kinds that show their text as a text block (markdown is formatted: its own test below).
    const kinds: ChatMessage['kind'][] = ['text', 'system', 'card', 'contact', 'buttons', 'location', 'live'];
    const messages: ChatMessage[] = [];
    PAYLOADS.forEach((payload, i) => {
      messages.push(
        message({ id: `t${i}`, kind: kinds[i % kinds.length], direction: kinds[i % kinds.length] === 'system' ? 'system' : 'in', text: payload, senderName: payload, time: T0 + i * 10 * MINUTE }),
      );
      messages.push(
        message({ id: `f${i}`, direction: 'out', status: 'failed', failure: payload, clientMessageId: `clientfail${i}`, text: payload, rawTime: payload, time: T0 + i * 10 * MINUTE + MINUTE }),
      );
    });
    const chat = await suite.openWith(
      { conversation: { ...CONVERSATION, title: PAYLOADS[0]!, subtitle: PAYLOADS[2] }, messages, connection: { kind: 'auth-error', reason: PAYLOADS[4]! } },
      { bypassCSP: true },
    );
    await chat.notify('notice/show', { level: 'error', message: PAYLOADS[1]! });
    await chat.page.waitForSelector('.notice');
    await chat.page.waitForTimeout(300); // let any injected image fail and fire its handler
    assertClean(await audit(chat));

    const shown = await chat.page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.msg')].map((row) => ({
        key: row.dataset.key ?? '',
        text: row.querySelector('.text')?.textContent ?? null,
        sender: row.querySelector('.sender')?.textContent ?? null,
        failure: row.querySelector('.failure__text')?.textContent ?? null,
        timeTitle: row.querySelector('time')?.getAttribute('title') ?? null,
      })),
    );
    for (const m of messages) {
      const row = shown.find((r) => r.key === m.key);
      assert.ok(row, `row ${m.key} rendered`);
      assert.equal(row.text, asShown(m.text), 'text shown literally');
      if (m.direction === 'in') assert.equal(row.sender, asShown(m.senderName), 'sender shown literally');
      if (m.failure) {
        assert.equal(row.failure, asShown(m.failure), 'failure reason shown literally');
        assert.ok(row.timeTitle?.endsWith(`Venue time: ${m.rawTime}`), 'raw time shown literally');
      }
    }
    assert.equal(await chat.page.locator('.header__title').evaluate((e) => e.textContent), PAYLOADS[0]);
    assert.equal(await chat.page.locator('.notice__text').evaluate((e) => e.textContent), PAYLOADS[1]);
    assert.equal(await chat.page.locator('.conn__label').evaluate((e) => e.textContent), `Sign-in failed: ${PAYLOADS[4]}`);
    assert.equal(await chat.page.evaluate(() => document.title), PAYLOADS[0]);

    // Upserting the same hostile content in place is just as inert.
    await chat.notify('message/upsert', { messages: messages.slice(0, 6).map((m) => ({ ...m, text: `${m.text}!` })) });
    await chat.frames();
    await chat.page.waitForTimeout(200);
    assertClean(await audit(chat));
  });

  it('never turns hostile URLs into media, links or navigation', async () => {
    const messages: ChatMessage[] = URL_PAYLOADS.flatMap((url, i) => [
      message({ id: `img${i}`, kind: 'image', time: T0 + i * 4, attachments: [{ kind: 'image', url, thumbUrl: url, name: PAYLOADS[i % PAYLOADS.length] }] }),
      message({ id: `vid${i}`, kind: 'video', time: T0 + i * 4 + 1, attachments: [{ kind: 'video', url, thumbUrl: url }] }),
      message({ id: `file${i}`, kind: 'file', time: T0 + i * 4 + 2, attachments: [{ kind: 'file', url, name: PAYLOADS[i % PAYLOADS.length] }] }),
      message({ id: `txt${i}`, time: T0 + i * 4 + 3, text: `see ${url} now` }),
    ]);
    const chat = await suite.openWith({ messages }, { bypassCSP: true });
    await chat.page.waitForTimeout(300);
    const result = await audit(chat);
    assertClean(result);
    // Only http(s) URLs become links; in text, a quote or angle bracket always ends one.
    const linkUrls = await chat.page.locator('[data-link-url]').evaluateAll((els) => els.map((e) => e.getAttribute('data-link-url')));
    assert.ok(linkUrls.length > 0);
    for (const url of linkUrls) assert.match(url ?? '', /^https?:\/\//);
    const textLinks = await chat.page.locator('.text [data-link-url]').evaluateAll((els) => els.map((e) => e.textContent));
    for (const url of textLinks) assert.match(url ?? '', /^https?:\/\/[^"'<>\s]+$/);
    for (const src of result.images) assert.match(src, /^https:\/\/ok\.example\//);
    // File names are shown literally, isolated, with a warning when they hide direction tricks.
    const names = await chat.page.locator('.file-card__name').evaluateAll((els) => els.map((e) => e.textContent));
    assert.deepEqual(names, URL_PAYLOADS.map((_, i) => asShown(PAYLOADS[i % PAYLOADS.length])));
    // Every link click goes to the host as an http(s) URL; the page never navigates.
    const start = chat.page.url();
    const count = await chat.page.locator('[data-link-url]').count();
    // A dispatched click: what is under test is the handler, not the geometry (a geometric click raced
    // the timeline's stick-to-bottom scroll and sometimes found the link outside the viewport).
    for (let i = 0; i < count; i++) await chat.page.locator('[data-link-url]').nth(i).dispatchEvent('click');
    const opened = await chat.requests('link/open');
    assert.equal(opened.length, count);
    for (const request of opened) assert.match(request.params.url, /^https?:\/\//);
    assert.equal(chat.page.url(), start);
    assertClean(await audit(chat));
  });

  it('warns when a file name hides its real extension with bidi or zero-width characters', async () => {
    const chat = await suite.openWith({
      messages: [
        message({ id: 'f1', kind: 'file', attachments: [{ kind: 'file', url: 'https://ok.example/a', name: 'invoice\u202Efdp.exe' }] }),
        message({ id: 'f2', kind: 'file', time: T0 + 1, attachments: [{ kind: 'file', url: 'https://ok.example/b', name: 'invoice.pdf' }] }),
      ],
    });
    assert.equal(await chat.page.locator('.file-card__warning').count(), 1);
    assert.equal(await chat.page.locator('.file-card__name').first().evaluate((e) => e.textContent), 'invoiceRLOfdp.exe');
    assert.equal(await chat.page.locator('.file-card__name').first().getAttribute('dir'), 'auto', 'the name is a bidi isolate');
  });

  it('handles a 200 KB message: collapsed at first, literal in full, no elements from it', async () => {
    const chunk = '<img src=x onerror=window.__xss=1> lorem ipsum \u202E ';
    const huge = chunk.repeat(Math.ceil(200_000 / chunk.length)).slice(0, 200_000);
    const chat = await suite.openWith({ messages: [message({ id: 'huge', text: huge })] }, { bypassCSP: true });
    const text = chat.page.locator('.msg .text');
    assert.match(await text.evaluate((e) => e.textContent ?? ''), /^<img src=x onerror/);
    assert.ok((await text.evaluate((e) => (e.textContent ?? '').length)) < 10_000, 'collapsed to a preview');
    await chat.page.locator('.msg vscode-button', { hasText: 'Show all' }).click();
    await chat.page.waitForFunction(() => !document.querySelector('.text--collapsed'));
    assert.equal(await text.evaluate((e) => e.textContent), asShown(huge), 'the full text, literally');
    // Only text nodes, and a token for each hidden control character (itself only text).
    assert.equal(await text.evaluate((e) => e.querySelectorAll(':not(.bidi-control), .bidi-control *').length), 0, 'only text nodes and control tokens');
    assert.equal(await text.evaluate((e) => e.querySelectorAll('.bidi-control').length), huge.split('\u202E').length - 1);
    assertClean(await audit(chat));
  });

  it('formats hostile markdown into inert elements only, with every link going through the host', async () => {
    const markdownPayloads = [...PAYLOADS, ...MARKDOWN_PAYLOADS];
    const messages = markdownPayloads.map((text, i) => message({ id: `md${i}`, kind: 'markdown', text, time: T0 + i * MINUTE }));
    const chat = await suite.openWith({ messages }, { bypassCSP: true });
    await chat.page.waitForTimeout(300);
    const result = await audit(chat);
    assertClean(result);
    assert.deepEqual(result.images, [], 'markdown never loads an image');
    const tags = await chat.page.locator('.markdown *').evaluateAll((els) => [...new Set(els.map((e) => e.tagName))]);
    const allowed = new Set(['P', 'BR', 'STRONG', 'EM', 'S', 'CODE', 'PRE', 'UL', 'OL', 'LI', 'BLOCKQUOTE', 'TABLE', 'THEAD', 'TBODY', 'TR', 'TH', 'TD', 'HR', 'A', 'SPAN']);
    for (const tag of tags) assert.ok(allowed.has(tag), `markdown made only known elements (found ${tag})`);
    assert.equal(await chat.page.locator('.markdown [href], .markdown [src], .markdown [style]').count(), 0);
    const linkUrls = await chat.page.locator('.markdown [data-link-url]').evaluateAll((els) => els.map((e) => e.getAttribute('data-link-url') ?? ''));
    for (const url of linkUrls) assert.match(url, /^https?:\/\//);
    // Raw HTML is shown as the text it is.
    const scriptRow = chat.page.locator(`.msg[data-key="${messages[1]!.key}"] .markdown`);
    assert.equal(await scriptRow.evaluate((e) => e.textContent), PAYLOADS[1]);
    // Bidi controls stay inside their block: each list item is its own isolate.
    const bidiItems = chat.page.locator(`.msg[data-key="${messages[messages.length - 1]!.key}"] li`);
    assert.deepEqual(await bidiItems.evaluateAll((els) => els.map((e) => e.getAttribute('dir'))), ['auto', 'auto']);
    const count = linkUrls.length;
    for (let i = 0; i < count; i++) await chat.page.locator('.markdown [data-link-url]').nth(i).dispatchEvent('click');
    const opened = await chat.requests('link/open');
    assert.equal(opened.length, count);
    for (const request of opened) assert.match(request.params.url, /^https?:\/\//);
    assertClean(await audit(chat));
  });

  it('shows hostile card, button, contact, location, sticker, live, quote and event fields literally', async () => {
    const messagesOf = (p: string, i: number): ChatMessage[] => {
      const url = URL_PAYLOADS[i % URL_PAYLOADS.length]!;
      const t = T0 + i * 10 * MINUTE;
      return [
        message({
          id: `card${i}`,
          kind: 'card',
          time: t,
          text: undefined,
          payload: { type: 'card', title: p, description: p, coverUrl: url, iconUrl: url, actions: [{ label: p, action: url }, { label: p, action: 'https://ok.example/act' }] },
        }),
        message({ id: `btn${i}`, kind: 'buttons', time: t + 1, text: p, payload: { type: 'buttons', buttons: [{ label: p, action: url }] } }),
        message({ id: `ct${i}`, kind: 'contact', time: t + 2, text: undefined, payload: { type: 'contact', contacts: [{ name: p, phone: p, email: p, userId: p }] } }),
        message({ id: `loc${i}`, kind: 'location', time: t + 3, text: undefined, payload: { type: 'location', latitude: 10, longitude: 20, name: p, address: p } }),
        message({ id: `stk${i}`, kind: 'sticker', time: t + 4, text: undefined, payload: { type: 'sticker', stickerId: p, name: p, url } }),
        message({ id: `live${i}`, kind: 'live', time: t + 5, text: undefined, payload: { type: 'live', url, thumbUrl: url } }),
        message({ id: `q${i}`, time: t + 6, text: 'reply', quote: { senderName: p, text: p, venueMessageId: p } }),
        message({ id: `ev${i}`, kind: 'system', direction: 'system', time: t + 7, text: undefined, payload: { type: 'system', event: p, orderId: p, state: p } }),
        message({ id: `rc${i}`, time: t + 8, text: p, recalled: true }),
      ];
    };
    // In two halves, each a chat short enough to be in the document whole (a longer one is
    // virtualised: only the rows near the viewport would be there to inspect).
    const half = Math.ceil(PAYLOADS.length / 2);
    for (const [from, to] of [[0, half], [half, PAYLOADS.length]] as const) {
      const payloads = PAYLOADS.slice(from, to);
      const messages = payloads.flatMap((p, i) => messagesOf(p, from + i));
      const chat = await suite.openWith({ messages }, { bypassCSP: true });
      await chat.page.waitForTimeout(300);
      const result = await audit(chat);
      assertClean(result);
      for (const src of result.images) assert.match(src, /^https:\/\/ok\.example\//);
      const literal = async (selector: string): Promise<string[]> => chat.page.locator(selector).evaluateAll((els) => els.map((e) => e.textContent ?? ''));
      assert.deepEqual(await literal('.card__title'), payloads.map(asShown));
      assert.deepEqual(await literal('.card__description'), payloads.map(asShown));
      assert.deepEqual(await literal('.contact__name'), payloads.map(asShown));
      assert.deepEqual(await literal('.location__name'), payloads.map(asShown));
      assert.deepEqual(await literal('.quote__text'), payloads.map(asShown));
      assert.deepEqual(await literal('.quote__sender'), payloads.map(asShown));
      assert.equal((await literal('.content--recalled')).every((t) => t === 'Message withdrawn'), true, 'withdrawn content is never shown');
      // Only http(s) destinations became links; everything else is inert.
      const linkUrls = await chat.page.locator('[data-link-url]').evaluateAll((els) => els.map((e) => e.getAttribute('data-link-url') ?? ''));
      for (const url of linkUrls) assert.match(url, /^https:\/\/(ok\.example|www\.openstreetmap\.org)\//);
      const start = chat.page.url();
      const count = linkUrls.length;
      for (let i = 0; i < count; i++) await chat.page.locator('[data-link-url]').nth(i).dispatchEvent('click');
      assert.equal((await chat.requests('link/open')).length, count);
      assert.equal(chat.page.url(), start);
      assertClean(await audit(chat));
    }
  });
});
