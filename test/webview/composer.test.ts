import * as assert from 'node:assert/strict';
import { MEXC_COMPOSER, UPLOAD_COMPOSER, message } from './fixtures';
import type { ChatPage } from './harness';
import { webviewSuite } from './suite';

const CLIENT_ID = /^[A-Za-z0-9_-]{8,64}$/;
const BOX = 'vscode-text-area textarea';

async function boxValue(chat: ChatPage): Promise<string> {
  return chat.page.locator(BOX).inputValue();
}

async function waitForEmptyBox(chat: ChatPage): Promise<void> {
  // The toolkit's text area renders a textarea in its (open) shadow root and syncs it asynchronously.
  await chat.page.waitForFunction(() => document.querySelector('vscode-text-area')?.shadowRoot?.querySelector('textarea')?.value === '');
  assert.equal(await boxValue(chat), '');
}

describe('webview composer', () => {
  const suite = webviewSuite();

  it('Enter sends; the box is cleared only after the host accepts', async () => {
    const chat = await suite.openWith();
    await chat.page.locator(BOX).fill('Payment sent, please release');
    await chat.page.locator(BOX).press('Enter');
    const send = await chat.nextRequest('message/send');
    assert.equal(send.params.kind, 'text');
    assert.equal(send.params.text, 'Payment sent, please release');
    assert.match(send.params.clientMessageId, CLIENT_ID);
    assert.equal(await boxValue(chat), 'Payment sent, please release', 'still there while the host has not answered');
    await chat.respond(send, { key: 'k1' });
    await waitForEmptyBox(chat);
    // The next message gets a different id.
    await chat.page.locator(BOX).fill('second');
    await chat.page.locator(BOX).press('Enter');
    const second = await chat.nextRequest('message/send');
    assert.notEqual(second.params.clientMessageId, send.params.clientMessageId);
  });

  it('where the venue has posts, the Post toggle sends the box as markdown until it is switched off', async () => {
    const MIXIN = { ...UPLOAD_COMPOSER, sendKinds: ['text', 'markdown', 'image', 'file', 'sticker', 'contact', 'location'] as const, venueUpload: true };
    const chat = await suite.openWith({ composer: { ...MIXIN, sendKinds: [...MIXIN.sendKinds] } });
    const toggle = chat.page.locator('.composer__post');
    assert.equal(await toggle.isVisible(), true);
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    assert.equal(await chat.page.locator('.composer__send').getAttribute('aria-label'), 'Send post');
    await chat.page.locator(BOX).fill('# Invoice\n- 500 USDT\n- **due today**');
    await chat.page.locator(BOX).press('Enter');
    const post = await chat.nextRequest('message/send');
    assert.equal(post.params.kind, 'markdown');
    assert.equal(post.params.text, '# Invoice\n- 500 USDT\n- **due today**');
    await chat.respond(post, { key: 'k-post' });
    await waitForEmptyBox(chat);
    // The mode stays on for the next post, and off sends plain text again.
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    await chat.page.locator(BOX).fill('plain again');
    await chat.page.locator(BOX).press('Enter');
    const plain = await chat.nextRequest('message/send');
    assert.equal(plain.params.kind, 'text');
    await chat.respond(plain, { key: 'k-plain' });
    await waitForEmptyBox(chat);

    // The sticker button asks the host, which picks it in VS Code.
    await chat.page.locator('.composer__sticker').click();
    const sticker = await chat.nextRequest('compose/structured');
    assert.deepEqual(sticker.params, { kind: 'sticker' });

    // Venues without posts or stickers show neither.
    const mexc = await suite.openWith({ composer: MEXC_COMPOSER });
    assert.equal(await mexc.page.locator('.composer__post').isVisible(), false);
    assert.equal(await mexc.page.locator('.composer__sticker').isVisible(), false);
  });

  it('keeps what the user typed while a send was in flight', async () => {
    const chat = await suite.openWith();
    await chat.page.locator(BOX).fill('first');
    await chat.page.locator(BOX).press('Enter');
    const send = await chat.nextRequest('message/send');
    await chat.page.locator(BOX).press('End');
    await chat.page.keyboard.type(' and more');
    await chat.respond(send, { key: 'k' });
    await chat.page.waitForFunction(() => document.querySelector('.composer')?.getAttribute('aria-busy') === 'false');
    assert.equal(await boxValue(chat), 'first and more');
    await chat.page.locator(BOX).press('Enter');
    const next = await chat.nextRequest('message/send');
    assert.equal(next.params.text, 'first and more');
    assert.notEqual(next.params.clientMessageId, send.params.clientMessageId);
  });

  it('keeps the text and shows the error when the host rejects; resending reuses the client id', async () => {
    const chat = await suite.openWith();
    await chat.page.locator(BOX).fill('bank details: 1234');
    await chat.page.locator(BOX).press('Enter');
    const first = await chat.nextRequest('message/send');
    // A second Enter while the first is in flight must not post again.
    await chat.page.locator(BOX).press('Enter');
    await chat.expectNoRequest('message/send', 200);
    await chat.respondError(first, { code: 'internal', message: 'outbox write failed' });
    await chat.page.waitForFunction(() => document.querySelector('.composer__error')?.textContent?.includes('outbox write failed'));
    assert.equal(await boxValue(chat), 'bank details: 1234');
    assert.equal(await chat.page.locator('.composer__error').getAttribute('role'), 'alert');
    await chat.page.locator(BOX).press('Enter');
    const again = await chat.nextRequest('message/send');
    assert.equal(again.params.clientMessageId, first.params.clientMessageId, 'the same message keeps its id, so the outbox can de-duplicate');
    // Editing makes it a different message.
    await chat.respondError(again, { code: 'timeout', message: 'no answer' });
    await chat.page.waitForFunction(() => document.querySelector('.composer__error')?.textContent?.includes('no answer'));
    await chat.page.locator(BOX).fill('bank details: 12345');
    await chat.page.locator(BOX).press('Enter');
    const edited = await chat.nextRequest('message/send');
    assert.notEqual(edited.params.clientMessageId, first.params.clientMessageId);
  });

  it('Shift+Enter inserts a new line and does not send', async () => {
    const chat = await suite.openWith();
    await chat.page.locator(BOX).fill('line one');
    await chat.page.locator(BOX).press('Shift+Enter');
    await chat.page.keyboard.type('line two');
    assert.equal(await boxValue(chat), 'line one\nline two');
    await chat.expectNoRequest('message/send');
    await chat.page.locator(BOX).press('Enter');
    assert.equal((await chat.nextRequest('message/send')).params.text, 'line one\nline two');
  });

  it('does not send while an input method is composing', async () => {
    const chat = await suite.openWith();
    const box = chat.page.locator(BOX);
    await box.fill('にほんご');
    // What Chromium delivers while an IME is composing: compositionstart, then keydown Enter with
    // isComposing (keyCode 229) to commit the candidate.
    await box.evaluate((area) => {
      area.dispatchEvent(new CompositionEvent('compositionstart', { bubbles: true, composed: true, data: '' }));
      area.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', isComposing: true, bubbles: true, composed: true, cancelable: true }));
    });
    await chat.expectNoRequest('message/send', 200);
    // Even an Enter that does not say isComposing is ignored until compositionend.
    await box.evaluate((area) => {
      area.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true, composed: true, cancelable: true }));
    });
    await chat.expectNoRequest('message/send', 200);
    await box.evaluate((area) => area.dispatchEvent(new CompositionEvent('compositionend', { bubbles: true, composed: true, data: 'にほんご' })));
    await chat.page.waitForTimeout(60);
    await box.press('Enter');
    assert.equal((await chat.nextRequest('message/send')).params.text, 'にほんご');
  });

  it('counts characters against maxTextLength and refuses to send over the limit', async () => {
    const chat = await suite.openWith({ composer: { ...MEXC_COMPOSER, maxTextLength: 10 } });
    await chat.page.locator(BOX).fill('12345');
    assert.equal(await chat.page.locator('.composer__counter').innerText(), '5 / 10');
    await chat.page.locator(BOX).fill('123456789012');
    assert.equal(await chat.page.locator('.composer__counter').innerText(), '12 / 10');
    assert.match((await chat.page.locator('.composer__counter').getAttribute('class')) ?? '', /composer__counter--over/);
    assert.equal(await chat.page.locator('vscode-button.composer__send').getAttribute('disabled'), '');
    await chat.page.locator(BOX).press('Enter');
    await chat.expectNoRequest('message/send');
    assert.match(await chat.page.locator('.composer__error').innerText(), /2 characters too long/);
  });

  it('disables sending with the reason on auth-error, but queues while offline or backing off', async () => {
    const chat = await suite.openWith({ connection: { kind: 'auth-error', reason: 'API key revoked' } });
    assert.match(await chat.page.locator('.composer__hint').innerText(), /Sending is disabled.*API key revoked/);
    await chat.page.locator(BOX).fill('hello');
    assert.equal(await chat.page.locator('vscode-button.composer__send').getAttribute('disabled'), '');
    await chat.page.locator(BOX).press('Enter');
    await chat.expectNoRequest('message/send');

    const until = await chat.page.evaluate(() => Date.now() + 10_000);
    await chat.notify('connection/state', { state: { kind: 'backoff', until, reason: 'network down' } });
    await chat.page.waitForFunction(() => /will send when reconnected/.test(document.querySelector('.composer__hint')?.textContent ?? ''));
    assert.equal(await chat.page.locator('vscode-button.composer__send').getAttribute('disabled'), null);
    await chat.page.locator(BOX).press('Enter');
    assert.equal((await chat.nextRequest('message/send')).params.text, 'hello');

    await chat.notify('connection/state', { state: { kind: 'online', since: Date.now() } });
    await chat.page.waitForFunction(() => document.querySelector<HTMLElement>('.composer__hint')?.hidden === true);
  });

  it('attaches a file through the host and sends it with the typed caption', async () => {
    const chat = await suite.openWith({ composer: UPLOAD_COMPOSER });
    assert.equal(await chat.page.locator('.composer__media-link').isVisible(), false, 'no media-link form without mediaByUrl');
    await chat.page.locator(BOX).fill('receipt attached');
    await chat.page.locator('vscode-button.composer__attach').click();
    const pick = await chat.nextRequest('attachment/pick');
    await chat.respond(pick, { attachment: { kind: 'image', url: 'https://uploads.example.com/r/receipt.png', name: 'receipt.png', size: 1234 } });
    const send = await chat.nextRequest('message/send');
    assert.deepEqual({ ...send.params, clientMessageId: 'x' }, {
      clientMessageId: 'x',
      kind: 'image',
      url: 'https://uploads.example.com/r/receipt.png',
      fileName: 'receipt.png',
      text: 'receipt attached',
    });
    assert.match(send.params.clientMessageId, CLIENT_ID);
    await chat.respond(send, { key: 'k' });
    await waitForEmptyBox(chat);
    // A cancelled picker sends nothing.
    await chat.page.locator('vscode-button.composer__attach').click();
    await chat.respond(await chat.nextRequest('attachment/pick'), {});
    await chat.expectNoRequest('message/send');
  });

  it('scrolls to the own message when it arrives, even when reading older messages', async () => {
    const history = Array.from({ length: 60 }, (_, i) => message({ id: `h${i}`, time: 1_736_935_200_000 + i * 60_000, text: `older ${i}` }));
    const chat = await suite.openWith({ messages: history, composer: UPLOAD_COMPOSER });
    await chat.page.locator('.timeline__scroller').evaluate((s) => (s.scrollTop = 200));
    await chat.page.locator(BOX).fill('mine');
    await chat.page.locator(BOX).press('Enter');
    const send = await chat.nextRequest('message/send');
    await chat.respond(send, { key: 'k-own' });
    await chat.notify('message/upsert', {
      messages: [message({ id: `c:${send.params.clientMessageId}`, direction: 'out', status: 'queued', clientMessageId: send.params.clientMessageId, text: 'mine', time: 1_736_935_200_000 + 61 * 60_000 })],
    });
    await chat.frames();
    const distance = await chat.page.locator('.timeline__scroller').evaluate((s) => s.scrollHeight - s.scrollTop - s.clientHeight);
    assert.ok(distance < 5, `at the bottom (distance ${distance})`);
  });

  it('with a venue upload API, attach asks the host to pick and queue files; the row shows upload progress until it leaves the queue', async () => {
    const chat = await suite.openWith({ composer: { ...UPLOAD_COMPOSER, venueUpload: true } });
    await chat.page.locator(BOX).fill('receipt for order 42');
    await chat.page.locator('vscode-button.composer__attach').click();
    const upload = await chat.nextRequest('attachment/upload');
    assert.deepEqual(upload.params, { caption: 'receipt for order 42' });
    await chat.expectNoRequest('attachment/pick');
    await chat.respond(upload, { queued: [{ key: 'k-up', clientMessageId: 'upload00001', name: 'receipt.png', size: 2048 }] });
    await waitForEmptyBox(chat);
    const queued = message({ id: 'c:upload00001', direction: 'out', status: 'queued', clientMessageId: 'upload00001', kind: 'image', text: 'receipt for order 42', attachments: [{ kind: 'image', name: 'receipt.png', size: 2048 }] });
    await chat.notify('message/upsert', { messages: [queued] });
    await chat.frames();
    await chat.notify('upload/progress', { clientMessageId: 'upload00001', sent: 512, total: 2048 });
    await chat.page.waitForFunction(() => document.querySelector('.upload-progress__text')?.textContent === 'Uploading 25%');
    assert.equal(await chat.page.locator('.upload-progress progress').getAttribute('value'), '25');
    assert.equal(await chat.page.locator('.queued-actions vscode-button').count(), 1, 'Cancel is offered while uploading');
    await chat.notify('message/upsert', { messages: [{ ...queued, status: 'sent' }] });
    await chat.page.waitForFunction(() => document.querySelector('.upload-progress') === null);
  });
});
