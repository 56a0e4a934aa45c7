import * as assert from 'node:assert/strict';
import { message } from './fixtures';
import { webviewSuite } from './suite';

describe('webview empty chat', () => {
  const suite = webviewSuite();

  it('says why a chat on a venue without history is empty', async () => {
    const chat = await suite.openWith({ messages: [], venue: { name: 'MEXC P2P', serverHistory: false } });
    assert.equal(
      await chat.page.locator('.history-status').innerText(),
      "MEXC P2P keeps no chat history. Venue Chat stores this chat's messages from the moment it is connected.",
    );
    await chat.notify('message/upsert', { messages: [message({ id: 'first', text: 'hello there' })] });
    await chat.page.locator('.msg').getByText('hello there').waitFor(); // not the screen-reader announcement of it
    assert.equal(await chat.page.locator('.history-status').innerText(), 'No older messages.');
  });

  it('keeps "No messages yet." for a venue with history once its history is exhausted', async () => {
    const chat = await suite.openWith({ messages: [], venue: { name: 'Bybit P2P', serverHistory: true } });
    assert.equal(await chat.page.locator('.history-status').innerText(), 'No messages yet.');
  });

  it('reads a snapshot without venue information as a venue with history', async () => {
    const chat = await suite.open();
    await chat.acceptReady();
    const { snapshot } = await import('./fixtures');
    const { venue: _venue, ...withoutVenue } = snapshot({ messages: [] });
    await chat.deliver({ method: 'conversation/snapshot', params: withoutVenue });
    await chat.page.waitForSelector('.shell:not([hidden])');
    assert.equal(await chat.page.locator('.history-status').innerText(), 'No messages yet.');
  });
});
