// What every pane bench shares: a long chat of varied messages, and a pane opened in headless
// Chromium with the real page and bundle (the webview tests' harness) showing it.
import type { Browser } from 'playwright-core';
import { AssetServer, ChatPage, launchBrowser } from '../test/webview/harness';
import { T0, message, snapshot } from '../test/webview/fixtures';
import type { ChatMessage } from '../src/shared/model';

export const VIEWPORT = { width: 900, height: 700 } as const;

const LONG_TEXT = 'Payment sent from my bank, reference in the note. Please check and release when it arrives; the transfer can take a few minutes on weekends. ';

/** Message `i` of a chat of `count`, a minute apart, ending just before T0: short and long texts, two senders, both directions. */
export function benchMessage(i: number, count: number): ChatMessage {
  const long = i % 10 === 3;
  return message({
    id: `h${i}`,
    time: T0 - (count - i) * 60_000,
    senderName: i % 7 === 0 ? 'bob' : 'alice_p2p',
    direction: i % 5 === 0 ? 'out' : 'in',
    status: i % 5 === 0 ? 'read' : undefined,
    text: long ? `message ${i}: ${LONG_TEXT.repeat(2 + (i % 3))}` : `message ${i} of a long chat`,
  });
}

export function benchHistory(count: number): ChatMessage[] {
  return Array.from({ length: count }, (_, i) => benchMessage(i, count));
}

/** The browser and asset server of one bench, closed together. */
export class PaneBrowser {
  private constructor(
    readonly browser: Browser,
    readonly server: AssetServer,
  ) {}

  static async start(): Promise<PaneBrowser> {
    const [browser, server] = await Promise.all([launchBrowser(), AssetServer.start()]);
    return new PaneBrowser(browser, server);
  }

  /** A pane past the ready handshake, not yet showing a conversation. */
  async open(): Promise<ChatPage> {
    const chat = await ChatPage.open(this.browser, this.server, { viewport: VIEWPORT });
    await chat.acceptReady();
    return chat;
  }

  /** A pane showing `messages` (one snapshot), once the list is built. */
  async openWith(messages: readonly ChatMessage[], before?: string): Promise<ChatPage> {
    const chat = await this.open();
    await chat.notify('conversation/snapshot', snapshot({ messages: [...messages], ...(before !== undefined ? { before } : {}) }));
    await chat.page.waitForSelector('.shell:not([hidden]) .msg', { timeout: 300_000 });
    await chat.frames(3);
    return chat;
  }

  async close(): Promise<void> {
    await this.server.stop();
    await this.browser.close();
  }
}
