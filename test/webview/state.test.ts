import * as assert from 'node:assert/strict';
import { CONVERSATION, OTHER_CONVERSATION, conversationHistory, message, snapshot } from './fixtures';
import type { ChatPage } from './harness';
import { webviewSuite } from './suite';

const BOX = 'vscode-text-area textarea';

async function savedState(chat: ChatPage): Promise<Record<string, unknown>> {
  return chat.page.evaluate(() => JSON.parse(sessionStorage.getItem('__venueChatFakeState') ?? 'null') as Record<string, unknown>);
}

async function reopen(chat: ChatPage, init: Parameters<typeof snapshot>[0]): Promise<void> {
  await chat.reload();
  await chat.acceptReady();
  await chat.notify('conversation/snapshot', snapshot(init));
  await chat.page.waitForSelector('.shell:not([hidden])');
}

describe('webview UI state (getState/setState)', () => {
  const suite = webviewSuite();

  it('keeps the draft through a reload and mirrors it to the host, debounced', async () => {
    const chat = await suite.openWith({ draft: '' });
    await chat.page.locator(BOX).pressSequentially('half-typed reply', { delay: 5 });
    const save = await chat.nextRequest('draft/save', 4000);
    assert.deepEqual(save.params, { text: 'half-typed reply' });
    assert.equal((await chat.requests('draft/save')).length, 1, 'one save for the whole burst of typing');
    const state = await savedState(chat);
    assert.equal(state.version, 1);
    assert.equal(state.draft, 'half-typed reply');
    assert.deepEqual(state.conversation, { venue: CONVERSATION.venue, accountId: CONVERSATION.accountId, conversationId: CONVERSATION.conversationId });

    // The host's copy is older than the webview's: the webview's wins after a reload.
    await reopen(chat, { draft: 'stale host draft' });
    assert.equal(await chat.page.locator(BOX).inputValue(), 'half-typed reply');
  });

  it('uses the host draft for a conversation the saved state is not about', async () => {
    const chat = await suite.openWith();
    await chat.page.locator(BOX).fill('for order 42');
    await reopen(chat, { conversation: OTHER_CONVERSATION, draft: 'host draft for 99' });
    assert.equal(await chat.page.locator(BOX).inputValue(), 'host draft for 99');
    assert.equal(((await savedState(chat)).conversation as { conversationId: string }).conversationId, OTHER_CONVERSATION.conversationId);
  });

  it('returns the reader to the same message after a reload', async () => {
    const history = conversationHistory(200);
    const chat = await suite.openWith({ messages: history });
    await chat.page.locator('.timeline__scroller').evaluate((s) => (s.scrollTop = s.scrollHeight / 2));
    await chat.page.waitForFunction(() => {
      const raw = JSON.parse(sessionStorage.getItem('__venueChatFakeState') ?? '{}') as { scroll?: { atBottom: boolean } };
      return raw.scroll?.atBottom === false;
    });
    const saved = (await savedState(chat)).scroll as { anchorKey: string; offsetPx: number; anchorTime: number };
    assert.ok(history.some((m) => m.key === saved.anchorKey));
    await reopen(chat, { messages: history });
    const offset = await chat.page.evaluate((key) => {
      const scroller = document.querySelector('.timeline__scroller') as HTMLElement;
      const row = [...document.querySelectorAll<HTMLElement>('.msg')].find((r) => r.dataset.key === key);
      return row ? row.getBoundingClientRect().top - scroller.getBoundingClientRect().top : NaN;
    }, saved.anchorKey);
    assert.ok(Math.abs(offset - saved.offsetPx) <= 1, `back at the anchor (${offset} vs ${saved.offsetPx})`);
  });

  it('pages back to find a restored anchor that is older than the snapshot', async () => {
    const older = conversationHistory(50, Date.UTC(2025, 0, 14, 12, 0), 'old');
    const newer = conversationHistory(30, Date.UTC(2025, 0, 15, 10, 0), 'new');
    const anchor = older[10]!;
    const chat = await suite.open({
      initialState: {
        version: 1,
        conversation: { venue: CONVERSATION.venue, accountId: CONVERSATION.accountId, conversationId: CONVERSATION.conversationId },
        draft: '',
        draftClientMessageId: null,
        scroll: { atBottom: false, anchorKey: anchor.key, anchorTime: anchor.time, offsetPx: 40 },
      },
    });
    await chat.acceptReady();
    await chat.notify('conversation/snapshot', snapshot({ messages: newer, before: 'older-1' }));
    const page = await chat.nextRequest('history/page');
    assert.deepEqual(page.params, { before: 'older-1', limit: 200 });
    await chat.respond(page, { messages: older });
    await chat.page.waitForFunction(() => document.querySelectorAll('.msg').length === 80);
    await chat.frames();
    const offset = await chat.page.evaluate((key) => {
      const scroller = document.querySelector('.timeline__scroller') as HTMLElement;
      const row = [...document.querySelectorAll<HTMLElement>('.msg')].find((r) => r.dataset.key === key);
      return row ? row.getBoundingClientRect().top - scroller.getBoundingClientRect().top : NaN;
    }, anchor.key);
    assert.ok(Math.abs(offset - 40) <= 1, `scrolled to the saved message (${offset})`);
  });

  it('survives garbage in getState', async () => {
    const chat = await suite.open({ initialState: { version: 1, draft: 42, conversation: 'nope', scroll: { atBottom: false, anchorKey: 3 } } });
    await chat.acceptReady();
    await chat.notify('conversation/snapshot', snapshot({ messages: [message({ id: 'x' })], draft: 'from host' }));
    await chat.page.waitForSelector('.msg');
    assert.equal(await chat.page.locator(BOX).inputValue(), 'from host');
  });
});
