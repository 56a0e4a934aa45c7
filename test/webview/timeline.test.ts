import * as assert from 'node:assert/strict';
import type { ChatMessage } from '../../src/shared/model';
import { CONVERSATION, MINUTE, OTHER_CONVERSATION, T0, conversationHistory, message, snapshot } from './fixtures';
import type { ChatPage } from './harness';
import { webviewSuite } from './suite';
import { rowTop } from './timelineProbes';

/** Tags the row element so a test can tell whether it is the same node later. */
async function tagRow(chat: ChatPage, key: string, tag: string): Promise<void> {
  await chat.page.evaluate(
    ({ key, tag }) => {
      const row = [...document.querySelectorAll<HTMLElement>('.msg')].find((r) => r.dataset.key === key);
      if (!row) throw new Error(`no row ${key}`);
      (row as unknown as { __tag: string }).__tag = tag;
    },
    { key, tag },
  );
}

async function tagOf(chat: ChatPage, key: string): Promise<string | null> {
  return chat.page.evaluate((k) => {
    const row = [...document.querySelectorAll<HTMLElement>('.msg')].find((r) => r.dataset.key === k);
    return row ? ((row as unknown as { __tag?: string }).__tag ?? 'untagged') : null;
  }, key);
}

async function distanceFromBottom(chat: ChatPage): Promise<number> {
  return chat.page.locator('.timeline__scroller').evaluate((s) => s.scrollHeight - s.scrollTop - s.clientHeight);
}

async function keys(chat: ChatPage): Promise<string[]> {
  return chat.page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.msg')].map((r) => r.dataset.key ?? ''));
}

/** Scrolls (as a reader would, by the scrollbar) until the row `key` of `order` is mounted. */
async function scrollUntilMounted(chat: ChatPage, key: string, order: readonly string[]): Promise<void> {
  const target = order.indexOf(key);
  for (let attempt = 0; attempt < 30; attempt++) {
    const shown = await keys(chat);
    if (shown.includes(key)) return;
    const first = order.indexOf(shown[0]!);
    const last = order.indexOf(shown[shown.length - 1]!);
    const rowsAway = target < first ? target - first : target - last;
    await chat.page.locator('.timeline__scroller').evaluate((s, rows) => (s.scrollTop += rows * (s.scrollHeight / 3000)), rowsAway);
    await chat.frames();
  }
  throw new Error(`row ${key} was never mounted`);
}

describe('webview timeline', () => {
  const suite = webviewSuite();

  it('replaces "No messages yet." with "No older messages." when the first message arrives', async () => {
    const chat = await suite.openWith({ messages: [] });
    assert.equal(await chat.page.locator('.history-status').innerText(), 'No messages yet.');
    await chat.notify('message/upsert', { messages: [message({ id: 'first', text: 'hello there' })] });
    // In the list (the announcement of the same words follows a moment later).
    await chat.page.locator('.msg').getByText('hello there').waitFor();
    assert.equal(await chat.page.locator('.history-status').innerText(), 'No older messages.');
  });

  it('updates a message in place on upsert (same DOM node), batched per animation frame', async () => {
    const out = message({ id: 'o1', direction: 'out', status: 'sending', clientMessageId: 'client-o1-xyz', text: 'release please' });
    const chat = await suite.openWith({ messages: [message({ id: 'i1', time: T0 - MINUTE }), out] });
    await tagRow(chat, out.key, 'original');
    // Three versions delivered in one task: nothing changes until the next frame, then only the last shows.
    const syncResult = await chat.page.evaluate((versions) => {
      for (const m of versions) window.dispatchEvent(new MessageEvent('message', { data: { method: 'message/upsert', params: { messages: [m] } } }));
      return document.querySelector('.status')?.getAttribute('data-status');
    }, [{ ...out, status: 'sent' }, { ...out, status: 'confirmed' }, { ...out, status: 'delivered' }] as ChatMessage[]);
    assert.equal(syncResult, 'sending', 'not applied synchronously');
    await chat.frames();
    assert.equal(await chat.page.locator('.status').getAttribute('data-status'), 'delivered');
    assert.equal(await tagOf(chat, out.key), 'original', 'the row element was reused');
    assert.equal(await chat.page.locator('.msg').count(), 2);
  });

  it('re-keys a pending message when the venue assigns its id, without a duplicate', async () => {
    const pending = message({ id: 'c:client-abc-123', venueMessageId: undefined, direction: 'out', status: 'queued', clientMessageId: 'client-abc-123', text: 'here are the details' });
    const chat = await suite.openWith({ messages: [pending] });
    await tagRow(chat, pending.key, 'pending');
    const confirmed = { ...message({ id: 'venue-777', direction: 'out', text: 'here are the details' }), status: 'confirmed' as const, clientMessageId: 'client-abc-123' };
    await chat.notify('message/upsert', { messages: [confirmed] });
    await chat.frames();
    assert.deepEqual(await keys(chat), [confirmed.key]);
    assert.equal(await tagOf(chat, confirmed.key), 'pending');
    // A later upsert by the new key still finds it.
    await chat.notify('message/upsert', { messages: [{ ...confirmed, status: 'read' }] });
    await chat.frames();
    assert.equal(await chat.page.locator('.status').getAttribute('data-status'), 'read');
    assert.equal(await chat.page.locator('.msg').count(), 1);
  });

  it('shows a failed message with its reason; Retry posts message/retry and Discard posts message/cancel', async () => {
    const failed = message({ id: 'f1', direction: 'out', status: 'sending', clientMessageId: 'client-fail-01', text: 'IBAN DE00 1234' });
    const chat = await suite.openWith({ messages: [failed] });
    await tagRow(chat, failed.key, 'row');
    await chat.notify('message/upsert', { messages: [{ ...failed, status: 'failed', failure: 'MEXC rejected: order already closed' }] });
    const failure = chat.page.locator('.failure');
    await failure.waitFor();
    assert.equal(await failure.getAttribute('role'), 'alert');
    assert.equal(await chat.page.locator('.failure__reason').innerText(), 'Not sent: MEXC rejected: order already closed');
    assert.equal(await tagOf(chat, failed.key), 'row');

    await chat.page.locator('.failure vscode-button', { hasText: 'Retry' }).click();
    const retry = await chat.nextRequest('message/retry');
    assert.deepEqual(retry.params, { clientMessageId: 'client-fail-01' });
    assert.equal(await chat.page.locator('.failure vscode-button', { hasText: 'Retry' }).getAttribute('disabled'), '', 'disabled while in flight');
    await chat.page.locator('.failure vscode-button', { hasText: 'Retry' }).click({ force: true });
    await chat.expectNoRequest('message/retry', 150);
    await chat.respond(retry, { key: failed.key });
    await chat.page.waitForFunction(() => !document.querySelector('.failure vscode-button[disabled]'));

    await chat.page.locator('.failure vscode-button', { hasText: 'Discard' }).click();
    const cancel = await chat.nextRequest('message/cancel');
    assert.deepEqual(cancel.params, { clientMessageId: 'client-fail-01' });
    await chat.respond(cancel, { cancelled: true });

    // Back to sending: the failure block goes away.
    await chat.notify('message/upsert', { messages: [{ ...failed, status: 'sending' }] });
    await chat.frames();
    assert.equal(await chat.page.locator('.failure').count(), 0);
  });

  it('Retry is reachable from the keyboard; a failed retry shows an error notice', async () => {
    const failed = message({ id: 'f2', direction: 'out', status: 'failed', failure: 'timeout', clientMessageId: 'client-fail-02' });
    const chat = await suite.openWith({ messages: [failed] });
    await chat.page.locator('.failure vscode-button', { hasText: 'Retry' }).focus();
    await chat.page.keyboard.press('Enter');
    await chat.respondError(await chat.nextRequest('message/retry'), { code: 'venue', message: 'still offline' });
    await chat.page.waitForFunction(() => document.querySelector('.notice--error')?.textContent?.includes('Retry failed: still offline'));
  });

  it('drops a history/page reply to a request made before the snapshot was replaced', async () => {
    const chat = await suite.openWith({ messages: conversationHistory(3), before: 'cursor-A' });
    const stale = await chat.nextRequest('history/page');
    assert.deepEqual(stale.params, { before: 'cursor-A', limit: 200 });

    await chat.notify('conversation/snapshot', snapshot({ conversation: OTHER_CONVERSATION, messages: [message({ id: 'b1', text: 'other order' }, OTHER_CONVERSATION)], before: 'cursor-B' }));
    const fresh = await chat.nextRequest('history/page');
    assert.deepEqual(fresh.params, { before: 'cursor-B', limit: 200 });

    // The stale reply carries messages that would even fit the new conversation: still dropped.
    await chat.respond(stale, { messages: [message({ id: 'stale1', time: T0 - 500 * MINUTE, text: 'STALE' }, OTHER_CONVERSATION)], before: 'cursor-A2' });
    await chat.frames();
    assert.deepEqual(await keys(chat), [message({ id: 'b1' }, OTHER_CONVERSATION).key]);
    assert.equal(await chat.page.getByText('STALE').count(), 0);

    await chat.respond(fresh, { messages: [message({ id: 'b0', time: T0 - 5 * MINUTE, text: 'older B' }, OTHER_CONVERSATION)] });
    await chat.page.waitForFunction(() => document.querySelectorAll('.msg').length === 2);
    assert.deepEqual(await keys(chat), [message({ id: 'b0' }, OTHER_CONVERSATION).key, message({ id: 'b1' }, OTHER_CONVERSATION).key]);
    assert.equal(await chat.page.locator('.history-status').innerText(), 'No older messages.');
    await chat.expectNoRequest('history/page');
  });

  it('pages older history in near the top and keeps the reader on the same message', async () => {
    const chat = await suite.openWith({ messages: conversationHistory(100), before: 'p1' });
    await chat.page.locator('.timeline__scroller').evaluate((s) => (s.scrollTop = 150));
    const request = await chat.nextRequest('history/page');
    assert.deepEqual(request.params, { before: 'p1', limit: 200 });
    await chat.frames(); // let rows that scrolled into view get their real height
    // The first message starting inside the viewport is what the reader is looking at.
    const anchorKey = await chat.page.evaluate(() => {
      const scroller = document.querySelector('.timeline__scroller') as HTMLElement;
      const top = scroller.getBoundingClientRect().top;
      return [...document.querySelectorAll<HTMLElement>('.msg')].find((r) => r.getBoundingClientRect().top >= top)?.dataset.key ?? '';
    });
    const before = await rowTop(chat, anchorKey);
    await chat.respond(request, { messages: conversationHistory(50, T0 - 100 * MINUTE, 'older'), before: 'p2' });
    await chat.page.waitForFunction(() => document.querySelectorAll('.msg').length === 150);
    await chat.frames();
    const after = await rowTop(chat, anchorKey);
    assert.ok(Math.abs(after - before) <= 1, `anchor stayed put (${before} → ${after})`);
    const order = await keys(chat);
    assert.equal(order[0], message({ id: 'older0' }).key, 'the oldest page message comes first');
    assert.equal(order[149], message({ id: 'h99' }).key);
    // While the reader stays away from the top, nothing more is requested.
    await chat.page.locator('.timeline__scroller').evaluate((s) => (s.scrollTop = s.scrollHeight / 2));
    await chat.expectNoRequest('history/page');
  });

  it('sticks to the bottom when at the bottom, otherwise keeps the place and shows "new messages"', async () => {
    const chat = await suite.openWith({ messages: conversationHistory(60) });
    assert.ok((await distanceFromBottom(chat)) < 2, 'starts at the newest message');
    await chat.notify('message/upsert', { messages: [message({ id: 'n1', time: T0 + MINUTE, text: 'are you there?' })] });
    await chat.frames();
    assert.ok((await distanceFromBottom(chat)) < 2, 'still at the bottom');
    assert.equal(await chat.page.locator('.new-pill').isVisible(), false);
    await chat.page.waitForFunction(() => document.querySelector('[role="status"][aria-live="polite"].sr-only')?.textContent === 'New message from alice_p2p: are you there?');

    await chat.page.locator('.timeline__scroller').evaluate((s) => (s.scrollTop = s.scrollHeight / 2));
    await chat.page.waitForTimeout(50);
    const anchor = message({ id: 'h30' }).key;
    const before = await rowTop(chat, anchor);
    await chat.notify('message/upsert', {
      messages: [message({ id: 'n2', time: T0 + 2 * MINUTE, text: 'hello?' }), message({ id: 'n3', time: T0 + 3 * MINUTE, text: 'hello??' })],
    });
    await chat.frames();
    assert.ok(Math.abs((await rowTop(chat, anchor)) - before) <= 1, 'the reader keeps their place');
    assert.equal(await chat.page.locator('vscode-button.new-pill').innerText(), '2 new messages');
    await chat.page.waitForFunction(
      () => document.querySelector('[role="status"][aria-live="polite"].sr-only')?.textContent === '2 new messages, latest from alice_p2p: hello??',
    );
    await chat.page.locator('vscode-button.new-pill').click();
    await chat.frames();
    assert.ok((await distanceFromBottom(chat)) < 2, 'the pill jumps to the newest');
    assert.equal(await chat.page.locator('.new-pill').isVisible(), false);
  });

  it('marks the conversation read up to the newest incoming message while at the bottom', async () => {
    const chat = await suite.openWith({ messages: conversationHistory(5) });
    const first = await chat.nextRequest('conversation/markRead');
    assert.deepEqual(first.params, { upTo: T0 }, 'the newest incoming of the snapshot');
    await chat.respond(first, { unread: 0 });
    await chat.notify('message/upsert', { messages: [message({ id: 'late', time: T0 + 5 * MINUTE })] });
    const second = await chat.nextRequest('conversation/markRead');
    assert.deepEqual(second.params, { upTo: T0 + 5 * MINUTE });
  });

  it('shows a gap that arrives by upsert between the messages around it', async () => {
    const chat = await suite.openWith({ messages: [message({ id: 'a', time: T0 - 60 * MINUTE }), message({ id: 'b', time: T0 })] });
    const gap = message({ id: 'gap-1', kind: 'gap', direction: 'system', text: undefined, time: T0 - 30 * MINUTE, gap: { from: T0 - 40 * MINUTE, to: T0 - 10 * MINUTE } });
    await chat.notify('message/upsert', { messages: [gap] });
    await chat.frames();
    assert.deepEqual(await keys(chat), [message({ id: 'a' }).key, gap.key, message({ id: 'b' }).key]);
    assert.match(await chat.page.locator('.content--gap').innerText(), /^Connection lost 09:20:00–09:50:00 \(lost connection for 30 min\) — this venue has no history, messages sent to you then may be missing$/);
    // Gaps are not "new messages" from the counterparty.
    assert.equal(await chat.page.locator('.new-pill').isVisible(), false);
  });

  it('ignores upserts for another conversation', async () => {
    const chat = await suite.openWith({ messages: [message({ id: 'a' })] });
    await chat.notify('message/upsert', { messages: [message({ id: 'x' }, OTHER_CONVERSATION)] });
    await chat.frames();
    assert.deepEqual(await keys(chat), [message({ id: 'a' }).key]);
  });

  it('handles a few thousand messages: a window of rows mounted, in-place upsert in and out of it, append', async () => {
    const history = conversationHistory(3000);
    const chat = await suite.openWith({ messages: history });
    const mounted = await chat.page.locator('.msg').count();
    assert.ok(mounted > 0 && mounted <= 200, `only the rows near the viewport are in the document (${mounted})`);
    const inView = history[2998]!;
    const middle = history[1500]!;
    assert.ok((await keys(chat)).includes(inView.key) && !(await keys(chat)).includes(middle.key));
    await tagRow(chat, inView.key, 'in view');
    await chat.notify('message/upsert', {
      messages: [{ ...inView, text: 'edited in view' }, { ...middle, text: 'edited in place' }, message({ id: 'tail', time: T0 + MINUTE })],
    });
    await chat.frames();
    assert.equal(await tagOf(chat, inView.key), 'in view', 'a mounted row is updated in place');
    assert.equal(await chat.page.locator(`.msg[data-key="${inView.key}"] .text`).innerText(), 'edited in view');
    assert.ok((await distanceFromBottom(chat)) < 2);
    const shown = await keys(chat);
    assert.equal(shown[shown.length - 1], message({ id: 'tail' }).key);
    // The row that was not mounted shows its new version once the reader gets there.
    await scrollUntilMounted(chat, middle.key, history.map((m) => m.key));
    assert.equal(await chat.page.locator(`.msg[data-key="${middle.key}"] .text`).innerText(), 'edited in place');
    assert.ok((await chat.page.locator('.msg').count()) <= 200);
    void CONVERSATION;
  });
});
