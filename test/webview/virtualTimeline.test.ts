// The virtualised timeline: a long chat keeps only the rows around the viewport in the document, the
// reader's place holds when pages arrive, images load late and live messages come in, the keyboard
// and quotes reach messages that are not mounted, and history is fetched ahead in pages of 200.
import * as assert from 'node:assert/strict';
import type { Route } from 'playwright-core';
import type { ChatMessage } from '../../src/shared/model';
import type { HistoryPage } from '../../src/shared/protocol';
import { MINUTE, T0, conversationHistory, message, snapshot } from './fixtures';
import type { ChatPage } from './harness';
import { webviewSuite } from './suite';
import { rowTop } from './timelineProbes';

const SCROLLER = '.timeline__scroller';

async function keys(chat: ChatPage): Promise<string[]> {
  return chat.page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.msg')].map((r) => r.dataset.key ?? ''));
}

/** The first row whose top is inside the viewport: the one the reader is looking at. */
async function anchorKey(chat: ChatPage): Promise<string> {
  return chat.page.evaluate(() => {
    const top = (document.querySelector('.timeline__scroller') as HTMLElement).getBoundingClientRect().top;
    return [...document.querySelectorAll<HTMLElement>('.msg')].find((r) => r.getBoundingClientRect().top >= top)?.dataset.key ?? '';
  });
}

async function distanceFromBottom(chat: ChatPage): Promise<number> {
  return chat.page.locator(SCROLLER).evaluate((s) => s.scrollHeight - s.scrollTop - s.clientHeight);
}

async function focusedKey(chat: ChatPage): Promise<string | undefined> {
  return chat.page.evaluate(() => (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('.msg')?.dataset.key);
}

/** Whether the row is entirely inside the scroller's viewport. */
async function wholeInView(chat: ChatPage, key: string): Promise<boolean> {
  return chat.page.evaluate((k) => {
    const scroller = (document.querySelector('.timeline__scroller') as HTMLElement).getBoundingClientRect();
    const row = document.querySelector(`.msg[data-key="${CSS.escape(k)}"]`)?.getBoundingClientRect();
    return row !== undefined && row.top >= scroller.top - 0.5 && row.bottom <= scroller.bottom + 0.5;
  }, key);
}

/** The mounted rows are one unbroken run of `order`, each with its place in the loaded list for assistive technology. */
async function assertMountedRun(chat: ChatPage, order: readonly string[], setSize: number): Promise<string[]> {
  const rows = await chat.page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.msg')].map((r) => ({ key: r.dataset.key ?? '', position: r.getAttribute('aria-posinset'), size: r.getAttribute('aria-setsize') })),
  );
  assert.ok(rows.length > 0, 'some rows are mounted');
  const first = order.indexOf(rows[0]!.key);
  rows.forEach((row, i) => {
    assert.equal(row.key, order[first + i], `mounted row ${i} follows the one before it`);
    assert.equal(row.position, String(first + i + 1), 'aria-posinset is the place among the loaded messages');
    assert.equal(row.size, String(setSize));
  });
  return rows.map((r) => r.key);
}

/** The viewport shows rows from edge to edge (no blank spacer in view). */
async function assertViewportCovered(chat: ChatPage): Promise<void> {
  const cover = await chat.page.evaluate(() => {
    const scroller = document.querySelector('.timeline__scroller') as HTMLElement;
    const view = scroller.getBoundingClientRect();
    const rows = [...document.querySelectorAll<HTMLElement>('.msg')].map((r) => r.getBoundingClientRect());
    const list = (document.querySelector('.timeline__list') as HTMLElement).getBoundingClientRect();
    return { firstTop: rows[0]!.top, lastBottom: rows[rows.length - 1]!.bottom, viewTop: Math.max(view.top, list.top), viewBottom: Math.min(view.bottom, list.bottom) };
  });
  assert.ok(cover.firstTop <= cover.viewTop + 0.5 && cover.lastBottom >= cover.viewBottom - 0.5, `rows cover the viewport: ${JSON.stringify(cover)}`);
}

function pageOf(history: readonly ChatMessage[], before: string | undefined, limit: number): HistoryPage {
  const end = Math.max(0, Math.min(history.length, Number(before ?? history.length)));
  const start = Math.max(0, end - limit);
  return { messages: history.slice(start, end), ...(start > 0 ? { before: String(start) } : {}) };
}

// An image 200×300 that arrives only when the test says so.
const TALL_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="300"><rect width="200" height="300" fill="#888"/></svg>';

describe('webview timeline: a virtualised list', () => {
  const suite = webviewSuite();

  it('keeps at most a few hundred rows in the document with 20,000 messages loaded, wherever the reader is', async () => {
    const history = conversationHistory(20_000);
    const order = history.map((m) => m.key);
    const chat = await suite.openWith({ messages: history });
    assert.equal(await chat.page.locator('.timeline__list').getAttribute('role'), 'feed');
    assert.ok((await distanceFromBottom(chat)) < 2, 'opens at the newest message');
    const atBottom = await assertMountedRun(chat, order, 20_000);
    assert.ok(atBottom.length <= 200, `${atBottom.length} rows at the bottom`);
    assert.equal(atBottom[atBottom.length - 1], order[order.length - 1]);

    for (const share of [0.5, 0.1, 0]) {
      await chat.page.locator(SCROLLER).evaluate((s, f) => (s.scrollTop = s.scrollHeight * f), share);
      await chat.frames(3);
      const shown = await assertMountedRun(chat, order, 20_000);
      assert.ok(shown.length <= 200, `${shown.length} rows at ${share}`);
      await assertViewportCovered(chat);
    }
    assert.equal((await keys(chat))[0], order[0], 'the top of the list is the oldest message');
  });

  it('keeps the reader on the same row when a page of 200 older messages arrives', async () => {
    const chat = await suite.openWith({ messages: conversationHistory(300), before: 'p1' });
    // Far from the oldest row nothing is asked; a few screens from it the next page is.
    await chat.expectNoRequest('history/page', 200);
    await chat.page.locator(SCROLLER).evaluate((s) => (s.scrollTop = 1500));
    const request = await chat.nextRequest('history/page');
    assert.deepEqual(request.params, { before: 'p1', limit: 200 });
    await chat.frames(2);
    const anchor = await anchorKey(chat);
    const before = await rowTop(chat, anchor);
    await chat.respond(request, { messages: conversationHistory(200, T0 - 300 * MINUTE, 'older'), before: 'p2' });
    await chat.frames(3);
    const after = await rowTop(chat, anchor);
    assert.ok(Math.abs(after - before) <= 1, `the anchor row stayed put (${before} → ${after})`);
    // Eleven thousand pixels from the oldest row now: nothing more is asked until the reader goes up.
    await chat.expectNoRequest('history/page', 200);
    await chat.page.locator(SCROLLER).evaluate((s) => (s.scrollTop = 0));
    await chat.frames(3);
    assert.equal((await keys(chat))[0], message({ id: 'older0' }).key, 'the page went in front');
    assert.deepEqual((await chat.nextRequest('history/page')).params, { before: 'p2', limit: 200 });
  });

  it('keeps the reader in place when an image above the viewport loads late', async () => {
    const history = conversationHistory(400);
    const photo = message({ ...history[300]!, id: 'h300', kind: 'image', text: 'the receipt', attachments: [{ kind: 'image', url: `${suite.server.mediaOrigin}/late/receipt.svg` }] });
    history[300] = photo;
    const chat = await suite.open();
    let held: Route | undefined;
    const requested = new Promise<void>((resolve) => {
      void chat.page.route(`${suite.server.mediaOrigin}/late/**`, (route) => {
        held = route;
        resolve();
      });
    });
    await chat.acceptReady();
    await chat.notify('conversation/snapshot', snapshot({ messages: history }));
    await chat.page.waitForSelector('.msg');
    await chat.frames(2);
    assert.ok(!(await keys(chat)).includes(photo.key), 'the photo is far above the newest messages');
    // Bring the photo's row just above the viewport: it is mounted (overscan) and starts loading.
    for (let attempt = 0; attempt < 20 && !(await keys(chat)).includes(photo.key); attempt++) {
      await chat.page.locator(SCROLLER).evaluate((s) => (s.scrollTop -= s.clientHeight));
      await chat.frames();
    }
    await chat.page.locator(SCROLLER).evaluate((s, key) => {
      const row = document.querySelector(`.msg[data-key="${CSS.escape(key)}"]`) as HTMLElement;
      s.scrollTop += row.getBoundingClientRect().bottom - s.getBoundingClientRect().top + 40;
    }, photo.key);
    await chat.frames(2);
    await requested;
    const photoHeight = await chat.page.locator(`.msg[data-key="${photo.key}"]`).evaluate((r) => r.getBoundingClientRect().height);
    const anchor = await anchorKey(chat);
    assert.ok(anchor !== photo.key && (await rowTop(chat, photo.key)) < 0, 'the photo is above the viewport');
    const before = await rowTop(chat, anchor);

    await held!.fulfill({ status: 200, contentType: 'image/svg+xml', body: TALL_SVG });
    await chat.page.waitForFunction((key) => {
      const img = document.querySelector<HTMLImageElement>(`.msg[data-key="${CSS.escape(key)}"] img`);
      return img !== null && img.complete && img.naturalHeight > 0;
    }, photo.key);
    await chat.frames(3);
    const grown = await chat.page.locator(`.msg[data-key="${photo.key}"]`).evaluate((r) => r.getBoundingClientRect().height);
    assert.ok(grown > photoHeight + 100, `the photo's row grew (${photoHeight} → ${grown})`);
    const after = await rowTop(chat, anchor);
    assert.ok(Math.abs(after - before) <= 1, `the reader's row stayed put (${before} → ${after})`);
  });

  it('stays at the bottom as live messages arrive there, and keeps the place when scrolled up', async () => {
    const history = conversationHistory(2000);
    const chat = await suite.openWith({ messages: history });
    for (let i = 1; i <= 5; i++) {
      const live = message({ id: `live${i}`, time: T0 + i * MINUTE, text: `live message ${i}\nwith a second line` });
      await chat.notify('message/upsert', { messages: [live] });
      await chat.frames(2);
      assert.ok((await distanceFromBottom(chat)) < 2, `still at the bottom after live message ${i}`);
      assert.ok(await wholeInView(chat, live.key), `live message ${i} is in view`);
    }
    assert.ok((await chat.page.locator('.msg').count()) <= 200);

    await chat.page.locator(SCROLLER).evaluate((s) => (s.scrollTop = s.scrollHeight / 2));
    await chat.frames(3);
    const anchor = await anchorKey(chat);
    const before = await rowTop(chat, anchor);
    const anchorIndex = history.findIndex((m) => m.key === anchor);
    await chat.notify('message/upsert', {
      messages: [
        message({ id: 'late-above', time: history[anchorIndex - 3]!.time + 1000, text: 'a message that arrived late, above the reader' }),
        message({ id: 'live6', time: T0 + 6 * MINUTE }),
        message({ id: 'live7', time: T0 + 7 * MINUTE }),
      ],
    });
    await chat.frames(3);
    const after = await rowTop(chat, anchor);
    assert.ok(Math.abs(after - before) <= 1, `the reader's row stayed put (${before} → ${after})`);
    assert.equal(await chat.page.locator('vscode-button.new-pill').innerText(), '3 new messages');
  });

  it('moves through every loaded message with the keyboard, from the newest to the oldest and back', async () => {
    const history = conversationHistory(240);
    const order = history.map((m) => m.key);
    const chat = await suite.openWith({ messages: history });
    await chat.page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __focused: string[] }).__focused = seen;
      document.addEventListener('focusin', (event) => {
        const key = (event.target as HTMLElement).closest<HTMLElement>('.msg')?.dataset.key;
        if (key) seen.push(key);
      });
    });
    await chat.page.locator(SCROLLER).focus();
    await chat.page.keyboard.press('ArrowUp');
    assert.equal(await focusedKey(chat), order[order.length - 1], 'from the list, ArrowUp starts at the newest message in view');
    for (let i = 1; i < order.length; i++) await chat.page.keyboard.press('ArrowUp');
    assert.equal(await focusedKey(chat), order[0], 'ArrowUp reaches the oldest loaded message');
    assert.ok(await wholeInView(chat, order[0]!));
    assert.equal(await chat.page.locator(`.msg[data-key="${order[0]}"]`).getAttribute('aria-posinset'), '1');
    assert.ok((await chat.page.locator('.msg').count()) <= 200);
    const upwards = await chat.page.evaluate(() => (window as unknown as { __focused: string[] }).__focused.splice(0));
    assert.deepEqual(upwards, [...order].reverse(), 'each ArrowUp focused the message before, none skipped');

    for (let i = 1; i < order.length; i++) await chat.page.keyboard.press('ArrowDown');
    assert.equal(await focusedKey(chat), order[order.length - 1], 'ArrowDown comes back to the newest');
    assert.ok(await wholeInView(chat, order[order.length - 1]!));
    const downwards = await chat.page.evaluate(() => (window as unknown as { __focused: string[] }).__focused.splice(0));
    assert.deepEqual(downwards, order.slice(1));

    await chat.page.keyboard.press('Home');
    assert.equal(await focusedKey(chat), order[0], 'Home: the oldest loaded message');
    await chat.page.keyboard.press('PageDown');
    const paged = await focusedKey(chat);
    assert.ok(order.indexOf(paged!) > 1 && (await wholeInView(chat, paged!)), `PageDown moves a screen down (${paged})`);
    await chat.page.keyboard.press('End');
    assert.equal(await focusedKey(chat), order[order.length - 1], 'End: the newest');
    assert.ok((await distanceFromBottom(chat)) < 2);
  });

  it('scrolls to the top of 5,000 messages served in pages of 200, each asked for before the reader reaches the edge', async () => {
    const history = conversationHistory(5000);
    const chat = await suite.open();
    await chat.serve('history/page', (params) => pageOf(history, params.before, params.limit));
    await chat.serve('conversation/markRead', () => ({ unread: 0 }));
    await chat.acceptReady();
    await chat.notify('conversation/snapshot', snapshot({ messages: history.slice(-50), before: String(history.length - 50) }));
    await chat.page.waitForSelector('.msg');
    const run = await chat.page.evaluate(
      (oldestKey) =>
        new Promise<{ reached: boolean; distances: number[]; viewport: number }>((resolve) => {
          const scroller = document.querySelector('.timeline__scroller') as HTMLElement;
          const list = document.querySelector('.timeline__list') as HTMLElement;
          const posted = (window as unknown as { __fake: { posted: { method?: string }[] } }).__fake.posted;
          const distances: number[] = [];
          let seen = posted.filter((m) => m.method === 'history/page').length;
          const started = performance.now();
          const tick = (): void => {
            const requests = posted.filter((m) => m.method === 'history/page').length;
            // Requests posted since the last frame: how far the reader was from the oldest loaded row.
            for (; seen < requests; seen++) distances.push(list.getBoundingClientRect().top * -1 + scroller.getBoundingClientRect().top);
            const done = scroller.scrollTop <= 0 && document.querySelector(`.msg[data-key="${CSS.escape(oldestKey)}"]`) !== null;
            if (done || performance.now() - started > 25_000) {
              resolve({ reached: done, distances, viewport: scroller.clientHeight });
              return;
            }
            scroller.scrollTop = Math.max(0, scroller.scrollTop - 300);
            requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
        }),
      history[0]!.key,
    );
    assert.ok(run.reached, 'the first message was reached');
    const requests = await chat.requests('history/page');
    assert.equal(requests.length, Math.ceil((history.length - 50) / 200), 'pages of 200 cover the rest');
    assert.ok(requests.every((r) => r.params.limit === 200));
    assert.equal(run.distances.length, requests.length);
    const nearest = Math.min(...run.distances);
    assert.ok(nearest > run.viewport, `every page was asked for while the reader was more than a screen from the oldest row (nearest ${Math.round(nearest)} px, screen ${run.viewport} px)`);
    assert.ok((await chat.page.locator('.msg').count()) <= 200);
    assert.equal(await chat.page.locator('.history-status').innerText(), 'No older messages.');
  });

  it('goes to a quoted message that is loaded but not mounted, and shows download progress on a card that was not mounted when it came', async () => {
    const history = conversationHistory(400);
    const file = message({ ...history[20]!, id: 'h20', kind: 'file', text: 'the contract', attachments: [{ kind: 'file', url: 'https://files.example/contract.pdf', name: 'contract.pdf', size: 2048 }] });
    history[20] = file;
    const reply = message({ id: 'reply', time: T0 + MINUTE, text: 'see the contract', quote: { venueMessageId: 'h20', senderName: 'alice_p2p', text: 'the contract' } });
    const chat = await suite.openWith({ messages: [...history, reply] });
    assert.ok(!(await keys(chat)).includes(file.key));
    await chat.notify('download/progress', { key: file.key, index: 0, received: 1024, total: 2048, state: 'running' });

    await chat.page.locator(`.msg[data-key="${reply.key}"] .quote__show`).click();
    await chat.frames(2);
    assert.equal(await focusedKey(chat), file.key, 'the quoted message has the focus');
    assert.ok(await wholeInView(chat, file.key), 'and is in view');
    const card = chat.page.locator(`.msg[data-key="${file.key}"] .file-card[data-attachment-index="0"]`);
    assert.equal(await card.locator('.file-card__progress-text').innerText(), '1 of 2 KB');
    assert.equal((await card.locator('.file-card__status').innerText()).trim(), 'Downloading…');
  });
});
