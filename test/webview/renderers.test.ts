import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { ChatMessage } from '../../src/shared/model';
import { MINUTE, T0, message } from './fixtures';
import { webviewSuite } from './suite';

/** Text content of the row for `id`, whitespace-normalised. */
async function rowText(chat: { page: Page }, key: string): Promise<string> {
  return chat.page.evaluate((k) => {
    const row = [...document.querySelectorAll<HTMLElement>('.msg')].find((r) => r.dataset.key === k);
    return (row?.textContent ?? '<missing>').replace(/\s+/g, ' ').trim();
  }, key);
}

describe('webview message renderers', () => {
  const suite = webviewSuite();

  it('renders every message kind with its own renderer, and unknown kinds with the fallback', async () => {
    const media = suite.server.mediaOrigin;
    const kinds: [ChatMessage, string, RegExp][] = [
      [message({ id: 'text', kind: 'text', text: 'plain words' }), 'content--text', /plain words/],
      [message({ id: 'md', kind: 'markdown', text: '**bold** _it_' }), 'content--markdown', /bold it/],
      [message({ id: 'img', kind: 'image', text: 'receipt', attachments: [{ kind: 'image', url: `${media}/pixel.png`, name: 'receipt.png', width: 40, height: 40 }] }), 'content--image', /receipt/],
      [message({ id: 'vid', kind: 'video', attachments: [{ kind: 'video', url: `${media}/hang/clip.mp4`, name: 'clip.mp4', durationMs: 65_000 }] }), 'content--video', /clip\.mp4 · 1:05/],
      [message({ id: 'aud', kind: 'audio', attachments: [{ kind: 'audio', url: `${media}/hang/voice.ogg`, name: 'voice.ogg' }] }), 'content--audio', /voice\.ogg/],
      [message({ id: 'file', kind: 'file', attachments: [{ kind: 'file', url: `${media}/statement.pdf`, name: 'statement.pdf', mimeType: 'application/pdf', size: 123_456 }] }), 'content--file', /statement\.pdf.*application\/pdf · 121 KB.*Open/],
      [message({ id: 'stk', kind: 'sticker', text: '👍' }), 'content--sticker', /👍/],
      [message({ id: 'contact', kind: 'contact', text: 'Bob +1 555 0100' }), 'content--contact', /Contact.*Bob \+1 555 0100/],
      [message({ id: 'loc', kind: 'location', text: '48.85, 2.35' }), 'content--location', /Location.*48\.85, 2\.35/],
      [message({ id: 'card', kind: 'card', text: 'Order summary' }), 'content--card', /Card.*Order summary/],
      [message({ id: 'btn', kind: 'buttons', text: 'Confirm payment?' }), 'content--buttons', /buttons.*Confirm payment\?/],
      [message({ id: 'live', kind: 'live', text: 'Live location' }), 'content--live', /Live.*Live location/],
      [message({ id: 'sys', kind: 'system', direction: 'system', text: 'The buyer marked the order as paid' }), 'content--system', /The buyer marked the order as paid/],
      [message({ id: 'gap', kind: 'gap', direction: 'system', text: undefined, gap: { from: T0 - 30 * MINUTE, to: T0 - 5 * MINUTE } }), 'content--gap', /Connection lost 09:30:00–09:55:00 \(lost connection for 25 min\)/],
      [message({ id: 'rc', kind: 'recall', direction: 'system', text: undefined }), 'content--recall', /alice_p2p withdrew a message/],
      [{ ...message({ id: 'new', text: 'from the future' }), kind: 'hologram' as ChatMessage['kind'] }, 'content--unknown', /Unsupported message type “hologram”.*from the future/],
    ];
    const messages = kinds.map(([m], i) => ({ ...m, time: T0 - (kinds.length - i) * MINUTE }));
    const chat = await suite.openWith({ messages });
    assert.equal(await chat.page.locator('.msg').count(), kinds.length);
    for (const [m, contentClass, text] of kinds) {
      const row = chat.page.locator(`.msg[data-key="${m.key}"]`);
      assert.equal(await row.locator(`.${contentClass}`).count(), 1, `${m.kind} uses ${contentClass}`);
      assert.match(await rowText(chat, m.key), text, `${m.kind} shows its content`);
    }
    // Markdown is formatted, not shown as its source.
    assert.equal(await chat.page.locator('.content--markdown strong').innerText(), 'bold');
    assert.equal(await chat.page.locator('.content--markdown em').innerText(), 'it');
    // Media kinds create media elements for http(s) URLs.
    assert.equal(await chat.page.locator('.content--image img.media--image').count(), 1);
    assert.equal(await chat.page.locator('.content--video video.media--video').count(), 1);
    assert.equal(await chat.page.locator('.content--audio audio.media--audio').count(), 1);
    // Layout: incoming left, system/gap centred.
    assert.match((await chat.page.locator(`.msg[data-key="${kinds[0]![0].key}"]`).getAttribute('class')) ?? '', /msg--in/);
    assert.match((await chat.page.locator(`.msg[data-key="${kinds[12]![0].key}"]`).getAttribute('class')) ?? '', /msg--center/);
  });

  it('renders a gap as a divider that says messages may be missing', async () => {
    const gap = message({ id: 'g1', kind: 'gap', direction: 'system', text: undefined, time: T0, gap: { from: Date.UTC(2025, 0, 15, 13, 5), to: Date.UTC(2025, 0, 15, 13, 42) } });
    const chat = await suite.openWith({ messages: [message({ id: 'before', time: T0 - MINUTE }), gap, message({ id: 'after', time: T0 + MINUTE })] });
    const divider = chat.page.locator('.content--gap');
    assert.equal(await divider.getAttribute('role'), 'note');
    assert.equal(
      (await divider.innerText()).trim(),
      'Connection lost 13:05:00–13:42:00 (lost connection for 37 min) — this venue has no history, messages sent to you then may be missing',
    );
    assert.equal(await chat.page.locator(`.msg[data-key="${gap.key}"] .status`).count(), 0);
  });

  it('a hole in a venue with history says it is being read back, then that it was (updated in place)', async () => {
    const hole = message({ id: 'h1', kind: 'gap', direction: 'system', text: undefined, time: T0, gap: { from: Date.UTC(2025, 0, 15, 13, 5), to: Date.UTC(2025, 0, 15, 13, 42), filled: false } });
    const chat = await suite.openWith({ messages: [message({ id: 'before', time: T0 - MINUTE }), hole] });
    const text = () => chat.page.locator('.content--gap').innerText();
    assert.equal((await text()).trim(), 'Reading the messages from 13:05:00–13:42:00 back from the venue\'s history…');
    await chat.deliver({ method: 'message/upsert', params: { messages: [{ ...hole, gap: { ...hole.gap!, filled: true } }] } });
    await chat.page.waitForFunction(() => document.querySelector('.content--gap')?.textContent?.includes('were read back'));
    assert.equal((await text()).trim(), 'Messages from 13:05:00–13:42:00 were read back from the venue\'s history');
  });

  it('shows sender, local time with the full date and raw venue time on hover, and day separators', async () => {
    const messages = [
      message({ id: 'd1', time: Date.UTC(2025, 0, 14, 23, 50), senderName: 'alice_p2p', rawTime: '2025-01-15 07:50:00' }),
      message({ id: 'd2', time: Date.UTC(2025, 0, 14, 23, 52), senderName: 'alice_p2p' }),
      message({ id: 'd3', time: Date.UTC(2025, 0, 15, 0, 10), senderName: 'alice_p2p' }),
      message({ id: 'd4', time: Date.UTC(2025, 0, 15, 0, 11), direction: 'out', status: 'sent', senderName: undefined }),
    ];
    const chat = await suite.openWith({ messages });
    const seps = await chat.page.locator('.day-sep').allInnerTexts();
    assert.deepEqual(seps, ['Tuesday, January 14, 2025', 'Wednesday, January 15, 2025']);
    const first = chat.page.locator(`.msg[data-key="${messages[0]!.key}"]`);
    assert.equal(await first.locator('.sender').innerText(), 'alice_p2p');
    assert.equal(await first.locator('time').innerText(), '23:50');
    const title = (await first.locator('time').getAttribute('title')) ?? '';
    assert.match(title, /Tuesday, January 14, 2025/);
    assert.match(title, /Venue time: 2025-01-15 07:50:00/);
    // Consecutive messages from the same sender share the name label.
    assert.match((await chat.page.locator(`.msg[data-key="${messages[1]!.key}"]`).getAttribute('class')) ?? '', /msg--continued/);
    assert.match((await chat.page.locator(`.msg[data-key="${messages[3]!.key}"]`).getAttribute('class')) ?? '', /msg--out/);
  });

  it('live messages, moved ones and history pages regroup only their neighbours, exactly as a fresh snapshot would', async () => {
    const at = (day: number, h: number, m: number) => Date.UTC(2025, 0, day, h, m);
    const who = (i: number) => (i % 3 === 0 ? 'bob' : 'alice_p2p');
    const initial = Array.from({ length: 12 }, (_, i) => message({ id: `g${i}`, time: at(13 + Math.floor(i / 4), 10, i * 2), senderName: who(i) }));
    const chat = await suite.openWith({ messages: initial, before: 'older' });
    // Live: one in the middle of a run (splits it), one at a day start, one at the end.
    const live = [
      message({ id: 'l1', time: at(14, 10, 9), senderName: 'carol' }),
      message({ id: 'l2', time: at(14, 0, 1), senderName: 'alice_p2p' }),
      message({ id: 'l3', time: at(15, 10, 30), senderName: 'alice_p2p' }),
    ];
    await chat.notify('message/upsert', { messages: live });
    await chat.frames();
    // An update that moves a message to another day, and one that changes nothing about grouping.
    const moved = { ...initial[5]!, time: at(15, 10, 29) };
    await chat.notify('message/upsert', { messages: [moved, { ...initial[1]!, status: 'read' as const }] });
    await chat.frames();
    // An older page above.
    const older = [message({ id: 'o1', time: at(12, 9, 0), senderName: 'alice_p2p' }), message({ id: 'o2', time: at(13, 0, 0), senderName: 'alice_p2p' })];
    // The short list asked for the older page as soon as it opened; it is answered now.
    const page = await chat.nextRequest('history/page');
    await chat.respond(page, { messages: older });
    await chat.frames();

    const labels = (c: typeof chat) =>
      c.page.locator('.msg').evaluateAll((rows) =>
        rows.map((r) => `${r.getAttribute('data-key')}|${r.classList.contains('msg--continued') ? 'continued' : 'named'}|${r.querySelector('.day-sep')?.textContent ?? ''}`),
      );
    const final = [...older, ...initial.filter((m) => m.key !== moved.key), moved, ...live];
    const fresh = await suite.openWith({ messages: final });
    const shown = await labels(chat);
    assert.equal(shown.length, final.length);
    assert.deepEqual(shown, await labels(fresh));
    assert.ok(shown.some((l) => l.includes('|continued|')) && shown.some((l) => l.endsWith('2025')), 'the case has runs and day headings to get right');
    assert.equal(await chat.page.locator('.day-sep').count(), await fresh.page.locator('.day-sep').count());
  });

  it('shows each outgoing status: queued clock, sending spinner, one check, two checks, delivered, read', async () => {
    const statuses = ['queued', 'sending', 'sent', 'confirmed', 'delivered', 'read'] as const;
    const messages = statuses.map((status, i) =>
      message({ id: `s-${status}`, direction: 'out', status, clientMessageId: `client-${status}-id`, senderName: undefined, time: T0 + i * MINUTE }),
    );
    const chat = await suite.openWith({ messages });
    const icon = async (status: string): Promise<string> =>
      chat.page.evaluate((s) => {
        const el = document.querySelector(`.status--${s}`);
        if (!el) return 'missing';
        if (el.querySelector('vscode-progress-ring')) return 'spinner';
        return [...el.querySelectorAll('svg')].map((svg) => svg.getAttribute('class')).join(' ');
      }, status);
    assert.match(await icon('queued'), /icon--clock/);
    assert.equal(await icon('sending'), 'spinner');
    assert.match(await icon('sent'), /icon--check(?!2)/);
    assert.match(await icon('confirmed'), /icon--check2/);
    assert.match(await icon('delivered'), /icon--check2/);
    assert.match(await icon('read'), /icon--check2/);
    assert.equal(await chat.page.locator('.status--delivered .status__word').innerText(), 'Delivered');
    assert.equal(await chat.page.locator('.status--read .status__word').innerText(), 'Read');
    assert.equal(await chat.page.locator('.status--sent .sr-only').innerText(), 'Sent');
    // A queued message can be cancelled before it goes out.
    assert.equal(await chat.page.locator('.msg', { has: chat.page.locator('.status--queued') }).locator('vscode-button', { hasText: 'Cancel' }).count(), 1);
  });

  it('shows a media link the venue let expire as expired, not as a broken image', async () => {
    const past = Date.now() - 60_000;
    const messages = [
      message({ id: 'exp-img', kind: 'image', text: '', attachments: [{ kind: 'image', url: 'https://media.example/proof.png?e=1', name: 'proof.png', expiresAt: past }] }),
      message({ id: 'exp-pdf', kind: 'file', text: '', attachments: [{ kind: 'file', url: 'https://media.example/proof.pdf?e=1', name: 'proof.pdf', mimeType: 'application/pdf', expiresAt: past }], time: T0 + MINUTE }),
      message({ id: 'live-img', kind: 'image', text: '', attachments: [{ kind: 'image', url: 'https://media.example/live.png', name: 'live.png', expiresAt: Date.now() + 3_600_000 }], time: T0 + 2 * MINUTE }),
    ];
    const chat = await suite.openWith({ messages });
    const expired = chat.page.locator('.media-expired');
    assert.equal(await expired.count(), 2);
    assert.match(await expired.first().innerText(), /Image “proof\.png” — the venue's link expired .*; it can no longer be opened\./);
    assert.match(await expired.nth(1).innerText(), /The venue's link expired .*; it can no longer be opened\./);
    assert.match(await chat.page.locator(`.msg[data-key="${messages[1]!.key}"] .file-card__name`).innerText(), /proof\.pdf/, 'the file is still named');
    assert.equal(await chat.page.locator(`.msg[data-key="${messages[0]!.key}"] img`).count(), 0, 'no broken image');
    assert.equal(await chat.page.locator(`.msg[data-key="${messages[1]!.key}"] [data-link-url]`).count(), 0, 'no dead link');
    assert.equal(await chat.page.locator(`.msg[data-key="${messages[2]!.key}"] .media-expired`).count(), 0, 'a link still valid is not called expired');
  });

  it('says why a queued message waits (a venue limit), and drops the reason once it is sent', async () => {
    const waiting = message({ id: 'q-wait', direction: 'out', status: 'queued', clientMessageId: 'client-wait-id', failure: 'Binance allows 36 image uploads a minute and they are used up; this image goes in 12 s' });
    const chat = await suite.openWith({ messages: [waiting] });
    const reason = chat.page.locator('.msg .queued-actions__reason');
    assert.equal(await reason.innerText(), 'Waiting: Binance allows 36 image uploads a minute and they are used up; this image goes in 12 s');
    assert.equal(await reason.getAttribute('role'), 'status');
    await chat.notify('message/upsert', { messages: [{ ...waiting, status: 'sent', failure: undefined }] });
    await chat.page.locator('.msg .status--sent').waitFor();
    assert.equal(await reason.count(), 0);
  });

  it('linkifies only http(s) URLs, opens them through the host and never navigates', async () => {
    const text = 'pay at https://pay.example.com/x?a=1&b=2, not javascript:alert(1) or data:text/html,hi or ftp://files.example.com (see http://a.example/b).';
    const chat = await suite.openWith({ messages: [message({ id: 'links', text })] });
    const links = chat.page.locator('.msg [data-link-url]');
    assert.deepEqual(await links.allInnerTexts(), ['https://pay.example.com/x?a=1&b=2', 'http://a.example/b']);
    assert.equal(await chat.page.locator('.msg .text').innerText(), text, 'the text is shown exactly as sent');
    assert.equal(await chat.page.locator('#app [href]').count(), 0, 'no element has an href');
    const before = chat.page.url();
    await links.first().click();
    const open = await chat.nextRequest('link/open');
    assert.deepEqual(open.params, { url: 'https://pay.example.com/x?a=1&b=2' });
    await chat.respond(open, { opened: true });
    // Keyboard: Enter on a focused link opens it too.
    await links.nth(1).focus();
    await chat.page.keyboard.press('Enter');
    assert.deepEqual((await chat.nextRequest('link/open')).params, { url: 'http://a.example/b' });
    assert.equal(chat.page.url(), before, 'the page did not navigate');
  });

  it('shows a visible link when an image cannot load (host blocked by the CSP)', async () => {
    const blocked = 'https://media.not-allowed.example/photo.jpg';
    const chat = await suite.openWith({
      messages: [
        message({ id: 'ok', kind: 'image', attachments: [{ kind: 'image', url: `${suite.server.mediaOrigin}/pixel.png`, name: 'ok.png' }] }),
        message({ id: 'blocked', kind: 'image', attachments: [{ kind: 'image', url: blocked, name: 'photo.jpg' }] }),
      ],
    });
    const fallback = chat.page.locator('.media-fallback');
    await fallback.waitFor();
    assert.match(await fallback.innerText(), /Image “photo\.jpg” could not be shown here/);
    assert.equal(await fallback.locator('[data-link-url]').innerText(), blocked);
    await fallback.locator('[data-link-url]').click();
    assert.deepEqual((await chat.nextRequest('link/open')).params, { url: blocked });
    // The allowed media host loads for real.
    await chat.page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('img.media--image');
      return img !== null && img.complete && img.naturalWidth === 1;
    });
    assert.equal(await chat.page.locator('img.media--image').count(), 1);
  });

  it('creates no media element for non-http(s) attachment URLs', async () => {
    const urls = ['javascript:alert(1)', 'data:image/svg+xml,<svg onload=alert(1)>', 'file:///etc/passwd', 'blob:https://x/y', ' https://lead.space/x.png', 'vbscript:x'];
    const chat = await suite.openWith({
      messages: urls.map((url, i) =>
        message({ id: `bad${i}`, kind: i % 2 === 0 ? 'image' : 'video', time: T0 + i, attachments: [{ kind: i % 2 === 0 ? 'image' : 'video', url, name: `n${i}` }] }),
      ),
    });
    assert.equal(await chat.page.locator('#app img, #app video, #app audio').count(), 0);
    assert.equal(await chat.page.locator('#app [data-link-url]').count(), 0);
    assert.equal(await chat.page.locator('.media-unavailable').count(), urls.length);
  });
});
