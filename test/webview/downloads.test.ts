// Saving a file attachment from the pane: a keyboard-reachable Save… beside Open on every file card
// that has something to save, the request naming the message by key and the attachment by index,
// then the host's progress on the card ("12.3 of 40 MB", a bar), "Saved" or why not, in a polite
// live status; a dismissed dialog leaves the card as it was.
import * as assert from 'node:assert/strict';
import type { ChatMessage } from '../../src/shared/model';
import { T0, MINUTE, UPLOAD_COMPOSER, message } from './fixtures';
import type { ChatPage } from './harness';
import { webviewSuite } from './suite';

const MiB = 1024 * 1024;

const twoFiles = message({
  id: 'files-1',
  kind: 'file',
  text: 'both invoices',
  attachments: [
    { kind: 'file', url: 'https://media.example/a.pdf', name: 'invoice-a.pdf', mimeType: 'application/pdf', size: 40 * MiB },
    { kind: 'file', url: 'https://media.example/b.pdf', name: 'invoice-b.pdf', mimeType: 'application/pdf', size: 1200 },
  ],
});
// Mixin-like: the stored link lapsed, but the venue names the file, so the host can get a fresh link.
const lapsedWithRef = message({ id: 'files-2', kind: 'file', text: '', time: T0 + MINUTE, attachments: [{ kind: 'file', ref: 'att-7', url: 'https://media.example/old.pdf?expires=1', name: 'old.pdf', expiresAt: Date.now() - 60_000 }] });
const lapsedNoRef = message({ id: 'files-3', kind: 'file', text: '', time: T0 + 2 * MINUTE, attachments: [{ kind: 'file', url: 'https://media.example/gone.pdf?e=1', name: 'gone.pdf', expiresAt: Date.now() - 60_000 }] });
const noLink = message({ id: 'files-4', kind: 'file', text: '', time: T0 + 3 * MINUTE, attachments: [{ kind: 'file', name: 'nolink.pdf' }] });

function card(chat: ChatPage, m: ChatMessage, index: number) {
  return chat.page.locator(`.msg[data-key="${m.key}"] .file-card[data-attachment-index="${index}"]`);
}

async function statusText(chat: ChatPage, m: ChatMessage, index: number): Promise<string> {
  return (await card(chat, m, index).locator('.file-card__status').evaluate((e) => e.textContent ?? '')).trim();
}

async function waitForStatus(chat: ChatPage, m: ChatMessage, index: number, text: string): Promise<void> {
  await chat.page.waitForFunction(
    ([selector, want]) => document.querySelector(selector!)?.textContent?.trim() === want,
    [`.msg[data-key="${m.key}"] .file-card[data-attachment-index="${index}"] .file-card__status`, text] as const,
  );
}

describe('webview: saving a file through the host', () => {
  const suite = webviewSuite();

  it('offers Save… beside Open where there is something to save, reachable by keyboard, with a polite status', async () => {
    const chat = await suite.openWith({ messages: [twoFiles, lapsedWithRef, lapsedNoRef, noLink], composer: UPLOAD_COMPOSER });
    assert.equal(await card(chat, twoFiles, 0).locator('.file-card__open').innerText(), 'Open');
    const save = card(chat, twoFiles, 0).locator('vscode-button.file-card__save');
    assert.equal(await save.innerText(), 'Save…');
    assert.equal(await save.getAttribute('aria-label'), 'Save invoice-a.pdf');
    assert.equal(await card(chat, twoFiles, 1).locator('.file-card__save').count(), 1);
    assert.equal(await card(chat, lapsedWithRef, 0).locator('.file-card__save').count(), 1, 'the venue can give a fresh link');
    assert.equal(await card(chat, lapsedNoRef, 0).locator('.file-card__save').count(), 0, 'a dead link alone cannot be saved');
    assert.equal(await card(chat, noLink, 0).locator('.file-card__save').count(), 0);
    const status = card(chat, twoFiles, 0).locator('.file-card__status');
    assert.equal(await status.getAttribute('role'), 'status');
    assert.equal(await status.getAttribute('aria-live'), 'polite');

    // Tab from Open reaches Save…; Enter presses it.
    await card(chat, twoFiles, 1).locator('.file-card__open').focus();
    await chat.page.keyboard.press('Tab');
    assert.equal(await chat.page.evaluate(() => document.activeElement?.classList.contains('file-card__save')), true, 'Save… is in the tab order');
    await chat.page.keyboard.press('Enter');
    const request = await chat.nextRequest('attachment/download');
    assert.deepEqual(request.params, { key: twoFiles.key, index: 1 }, 'the message by key and the attachment by index, no link');
    await chat.respond(request, { saved: false });
  });

  it('shows the host\'s progress as a bar and "12.3 of 40 MB", then Saved', async () => {
    const chat = await suite.openWith({ messages: [twoFiles], composer: UPLOAD_COMPOSER });
    const save = card(chat, twoFiles, 0).locator('.file-card__save');
    await save.click();
    const request = await chat.nextRequest('attachment/download');
    assert.deepEqual(request.params, { key: twoFiles.key, index: 0 });
    await waitForStatus(chat, twoFiles, 0, 'Choose where to save it in VS Code…');
    assert.equal(await save.getAttribute('disabled'), '', 'no second request while one is out');
    await save.click({ force: true });
    await chat.expectNoRequest('attachment/download');

    await chat.notify('download/progress', { key: twoFiles.key, index: 0, received: Math.round(12.3 * MiB), total: 40 * MiB, state: 'running' });
    await waitForStatus(chat, twoFiles, 0, 'Downloading…');
    const line = card(chat, twoFiles, 0).locator('.file-card__progress');
    assert.equal(await line.isVisible(), true);
    assert.equal(await line.locator('.file-card__progress-text').innerText(), '12.3 of 40 MB');
    assert.deepEqual(await line.locator('progress').evaluate((p) => [(p as HTMLProgressElement).value, (p as HTMLProgressElement).max]), [Math.round(12.3 * MiB), 40 * MiB]);
    // Another attachment of the same message is untouched.
    assert.equal(await statusText(chat, twoFiles, 1), '');

    await chat.notify('download/progress', { key: twoFiles.key, index: 0, received: 40 * MiB, total: 40 * MiB, state: 'done' });
    await waitForStatus(chat, twoFiles, 0, 'Saved');
    await chat.respond(request, { saved: true });
    assert.equal(await line.isVisible(), false, 'the bar goes when it is done');
    assert.equal(await save.getAttribute('disabled'), null, 'it can be saved again');
  });

  it('a download without a known size shows the bytes so far and an indeterminate bar', async () => {
    const chat = await suite.openWith({ messages: [twoFiles], composer: UPLOAD_COMPOSER });
    await chat.notify('download/progress', { key: twoFiles.key, index: 1, received: 3 * 1024, state: 'running' });
    await waitForStatus(chat, twoFiles, 1, 'Downloading…');
    const line = card(chat, twoFiles, 1).locator('.file-card__progress');
    assert.equal(await line.locator('.file-card__progress-text').innerText(), '3 KB');
    assert.equal(await line.locator('progress').evaluate((p) => p.hasAttribute('value')), false);
  });

  it('says why a download failed, from the host\'s report or its error answer', async () => {
    const chat = await suite.openWith({ messages: [twoFiles], composer: UPLOAD_COMPOSER });
    await card(chat, twoFiles, 0).locator('.file-card__save').click();
    const first = await chat.nextRequest('attachment/download');
    await chat.notify('download/progress', { key: twoFiles.key, index: 0, received: 1000, total: 40 * MiB, state: 'failed', message: 'The file is gone from the server (HTTP 404).' });
    await chat.respondError(first, { code: 'download-failed', message: 'The file is gone from the server (HTTP 404).' });
    await waitForStatus(chat, twoFiles, 0, 'Not saved: The file is gone from the server (HTTP 404).');
    assert.match((await card(chat, twoFiles, 0).locator('.file-card__status').getAttribute('class')) ?? '', /file-card__status--error/);
    assert.equal(await card(chat, twoFiles, 0).locator('.file-card__progress').isVisible(), false);

    // An error before anything started (no progress at all) is shown the same way.
    await card(chat, twoFiles, 1).locator('.file-card__save').click();
    const second = await chat.nextRequest('attachment/download');
    await chat.respondError(second, { code: 'not-found', message: 'That message is not stored in this conversation.' });
    await waitForStatus(chat, twoFiles, 1, 'Not saved: That message is not stored in this conversation.');
  });

  it('a dismissed save dialog leaves the card as it was; a cancel says so', async () => {
    const chat = await suite.openWith({ messages: [twoFiles], composer: UPLOAD_COMPOSER });
    const save = card(chat, twoFiles, 0).locator('.file-card__save');
    await save.click();
    await chat.respond(await chat.nextRequest('attachment/download'), { saved: false });
    await chat.page.waitForFunction((selector) => !document.querySelector(selector)?.hasAttribute('disabled'), `.msg[data-key="${twoFiles.key}"] .file-card[data-attachment-index="0"] .file-card__save`);
    assert.equal(await statusText(chat, twoFiles, 0), '');

    await save.click();
    const request = await chat.nextRequest('attachment/download');
    await chat.notify('download/progress', { key: twoFiles.key, index: 0, received: 5 * MiB, total: 40 * MiB, state: 'running' });
    await chat.notify('download/progress', { key: twoFiles.key, index: 0, received: 5 * MiB, total: 40 * MiB, state: 'cancelled' });
    await chat.respond(request, { saved: false });
    await waitForStatus(chat, twoFiles, 0, 'Download cancelled');
    assert.equal(await card(chat, twoFiles, 0).locator('.file-card__progress').isVisible(), false);
  });

  it('keeps showing a download when the row is rebuilt, and ignores malformed progress', async () => {
    const chat = await suite.openWith({ messages: [twoFiles], composer: UPLOAD_COMPOSER });
    await chat.notify('download/progress', { key: twoFiles.key, index: 0, received: 20 * MiB, total: 40 * MiB, state: 'running' });
    await waitForStatus(chat, twoFiles, 0, 'Downloading…');
    // New content rebuilds the bubble (a caption edit): the card comes back with its progress.
    await chat.notify('message/upsert', { messages: [{ ...twoFiles, text: 'both invoices (edited)', edited: true }] });
    await chat.page.waitForFunction((key) => document.querySelector(`.msg[data-key="${key}"] .text`)?.textContent?.includes('edited'), twoFiles.key);
    assert.equal(await statusText(chat, twoFiles, 0), 'Downloading…');
    assert.equal(await card(chat, twoFiles, 0).locator('.file-card__progress-text').innerText(), '20 of 40 MB');
    for (const bad of [{ key: twoFiles.key, index: 0, received: -1, state: 'running' }, { key: twoFiles.key, index: 0, received: 1, state: 'exploded' }, { key: twoFiles.key, index: 'x', received: 1, state: 'done' }]) {
      await chat.deliver({ method: 'download/progress', params: bad });
    }
    await chat.frames();
    assert.equal(await statusText(chat, twoFiles, 0), 'Downloading…');
  });
});
