import * as assert from 'node:assert/strict';
import { MEXC_COMPOSER } from './fixtures';
import type { ChatPage } from './harness';
import { webviewSuite } from './suite';

async function openForm(chat: ChatPage): Promise<void> {
  await chat.page.locator('vscode-button.composer__media-link').click();
  await chat.page.locator('.media-link-form').waitFor({ state: 'visible' });
}

describe('webview media-link form (venues that take media as a URL)', () => {
  const suite = webviewSuite();

  it('explains itself and rejects anything that is not an http(s) URL', async () => {
    const chat = await suite.openWith({ composer: MEXC_COMPOSER });
    await openForm(chat);
    assert.equal(await chat.page.locator('.media-link-form__explain').innerText(), 'MEXC takes media as a link; paste a URL.');
    assert.deepEqual(await chat.page.locator('#media-link-kind option').evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value)), ['image', 'video', 'file']);
    const bad = ['', 'example.com/a.png', 'javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:image/png;base64,AAAA', 'ftp://files.example.com/a.png', 'file:///etc/passwd', `https://x.example/${'a'.repeat(2100)}`, 'https://'];
    for (const value of bad) {
      await chat.page.locator('#media-link-url').fill(value);
      await chat.page.locator('vscode-button.media-link-form__send').click();
      await chat.page.waitForFunction(() => (document.querySelector('.form-error')?.textContent ?? '') !== '');
      assert.equal(await chat.page.locator('#media-link-url').getAttribute('aria-invalid'), 'true', `${value.slice(0, 40)} is rejected`);
      assert.notEqual(await chat.page.locator('.form-error').innerText(), '');
    }
    await chat.expectNoRequest('message/send');
    // Typing clears the error.
    await chat.page.locator('#media-link-url').fill('https://');
    assert.equal(await chat.page.locator('#media-link-url').getAttribute('aria-invalid'), null);
  });

  it('sends a valid link with its kind, caption and (for files) a file name, then closes', async () => {
    const chat = await suite.openWith({ composer: MEXC_COMPOSER });
    await openForm(chat);
    await chat.page.locator('#media-link-kind').selectOption('file');
    await chat.page.locator('#media-link-url').fill('  https://cdn.example.com/docs/Payment%20proof.pdf  ');
    await chat.page.locator('#media-link-caption').fill('proof of payment');
    await chat.page.locator('#media-link-url').press('Enter');
    const send = await chat.nextRequest('message/send');
    assert.deepEqual(
      { ...send.params, clientMessageId: '-' },
      { clientMessageId: '-', kind: 'file', url: 'https://cdn.example.com/docs/Payment%20proof.pdf', text: 'proof of payment', fileName: 'Payment proof.pdf' },
    );
    assert.match(send.params.clientMessageId, /^[A-Za-z0-9_-]{8,64}$/);
    await chat.respond(send, { key: 'k' });
    await chat.page.locator('.media-link-form').waitFor({ state: 'hidden' });

    // A host rejection keeps the form open with the reason.
    await openForm(chat);
    await chat.page.locator('#media-link-kind').selectOption('image');
    await chat.page.locator('#media-link-url').fill('https://cdn.example.com/a.png');
    await chat.page.locator('vscode-button.media-link-form__send').click();
    const rejected = await chat.nextRequest('message/send');
    assert.equal(rejected.params.kind, 'image');
    assert.equal(rejected.params.fileName, undefined);
    await chat.respondError(rejected, { code: 'venue', message: 'image host not allowed' });
    await chat.page.waitForFunction(() => document.querySelector('.form-error')?.textContent?.includes('image host not allowed'));
    assert.equal(await chat.page.locator('.media-link-form').isVisible(), true);
    // Escape closes it.
    await chat.page.locator('#media-link-url').press('Escape');
    await chat.page.locator('.media-link-form').waitFor({ state: 'hidden' });
  });

  it('is not offered when the venue takes uploads', async () => {
    const chat = await suite.openWith({ composer: { ...MEXC_COMPOSER, mediaByUrl: false } });
    assert.equal(await chat.page.locator('vscode-button.composer__media-link').isVisible(), false);
  });
});
