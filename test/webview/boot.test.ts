import * as assert from 'node:assert/strict';
import { CONVERSATION, ONLINE, T0, message, snapshot } from './fixtures';
import { webviewSuite } from './suite';

describe('webview boot', () => {
  const suite = webviewSuite();

  it('posts webview/ready first and renders nothing before the snapshot', async () => {
    const chat = await suite.open();
    const ready = await chat.nextRequest('webview/ready');
    const posted = await chat.posted();
    assert.equal(posted[0]?.method, 'webview/ready', 'the first message is the ready request');
    assert.equal(ready.id, 1);
    assert.deepEqual(ready.params, {});

    // The host may race an upsert ahead of the snapshot: it must not render.
    await chat.respond(ready, { accepted: true });
    await chat.notify('message/upsert', { messages: [message({ id: 'early', text: 'too early' })] });
    await chat.notify('connection/state', { state: ONLINE });
    await chat.frames();
    assert.equal(await chat.page.locator('.msg').count(), 0, 'no message rows before the snapshot');
    assert.equal(await chat.page.locator('.shell').isHidden(), true, 'the pane stays hidden');
    // The composer is there from the start (focused, keeping what is typed), but cannot send yet.
    assert.equal(await chat.page.locator('.composer').isVisible(), true, 'the composer takes input before the snapshot');
    assert.equal(await chat.page.locator('vscode-button.composer__send').getAttribute('disabled'), '');
    assert.match(await chat.page.locator('.placeholder').innerText(), /Loading conversation/);

    await chat.notify('conversation/snapshot', snapshot({ messages: [message({ id: 'm1', text: 'hello there' })] }));
    await chat.page.waitForSelector('.msg');
    assert.equal(await chat.page.locator('.msg').count(), 1);
    assert.equal(await chat.page.locator('.placeholder').count(), 0);
    assert.equal(await chat.page.evaluate(() => (window as unknown as { __fake: { acquireCount: number } }).__fake.acquireCount), 1, 'acquireVsCodeApi is called once');
  });

  it('shows the conversation title, subtitle and venue in the header', async () => {
    const chat = await suite.openWith();
    assert.equal(await chat.page.locator('.header__title').innerText(), CONVERSATION.title);
    assert.equal(await chat.page.locator('.header__subtitle').innerText(), 'MEXC · Buy 500 USDT · order in progress');
    await chat.notify('conversation/update', { conversation: { ...CONVERSATION, title: 'Renamed order' } });
    await chat.page.waitForFunction(() => document.querySelector('.header__title')?.textContent === 'Renamed order');
    // An update for another conversation is ignored.
    await chat.notify('conversation/update', { conversation: { ...CONVERSATION, conversationId: 'other', title: 'Wrong one' } });
    await chat.frames();
    assert.equal(await chat.page.locator('.header__title').innerText(), 'Renamed order');
  });

  it('shows every connection state in the badge, with a live backoff countdown', async () => {
    const chat = await suite.openWith();
    const badge = chat.page.locator('.conn');
    assert.equal(await badge.innerText(), 'Online');
    await chat.notify('connection/state', { state: { kind: 'connecting' } });
    await chat.page.waitForFunction(() => document.querySelector('.conn')?.textContent?.includes('Connecting…'));
    assert.equal(await chat.page.locator('.conn vscode-progress-ring').count(), 1, 'connecting shows a spinner');

    const until = await chat.page.evaluate(() => Date.now() + 3_500);
    await chat.notify('connection/state', { state: { kind: 'backoff', until, reason: 'socket closed 1006' } });
    await chat.page.waitForFunction(() => /Retrying in 4s/.test(document.querySelector('.conn')?.textContent ?? ''));
    assert.match((await badge.getAttribute('title')) ?? '', /socket closed 1006/);
    await chat.page.waitForFunction(() => /Retrying in 2s/.test(document.querySelector('.conn')?.textContent ?? ''), undefined, { timeout: 4000 });

    const cases: [unknown, RegExp][] = [
      [{ kind: 'auth-error', reason: 'invalid API key' }, /^Sign-in failed: invalid API key$/],
      [{ kind: 'stale', lastSync: T0, reason: 'poll failed' }, /^Stale since 10:00$/],
      [{ kind: 'displaced', reason: 'logged in on another device' }, /^Signed in elsewhere$/],
      [{ kind: 'offline' }, /^Offline$/],
      [ONLINE, /^Online$/],
    ];
    for (const [state, expected] of cases) {
      await chat.deliver({ method: 'connection/state', params: { state } });
      await chat.page.waitForFunction((source) => new RegExp(source).test(document.querySelector('.conn')?.textContent ?? ''), expected.source);
      assert.match(await badge.innerText(), expected);
    }
    assert.match((await chat.page.locator('.conn').getAttribute('class')) ?? '', /conn--online/);
  });

  it('shows notice/show as a dismissible banner', async () => {
    const chat = await suite.openWith();
    await chat.notify('notice/show', { level: 'error', message: 'The venue rejected the message: too long' });
    const notice = chat.page.locator('.notice');
    await notice.waitFor();
    assert.equal(await notice.getAttribute('role'), 'alert');
    assert.equal(await chat.page.locator('.notice__text').innerText(), 'The venue rejected the message: too long');
    await chat.page.locator('.notice vscode-button[aria-label="Dismiss"]').click();
    await notice.waitFor({ state: 'detached' });
    assert.equal(await chat.page.locator('.notice').count(), 0);
  });

  it('ignores payloads that are not protocol messages', async () => {
    const chat = await suite.openWith({ messages: [message({ id: 'm1' })] });
    for (const junk of [null, 42, 'text', { method: 'nope', params: {} }, { method: 'message/upsert' }, { id: 'x', ok: true }, { method: 'message/upsert', params: { messages: [{ key: 1 }] } }]) {
      await chat.deliver(junk);
    }
    await chat.frames();
    assert.equal(await chat.page.locator('.msg').count(), 1);
  });
});
