// Per-file setup: one browser and one asset server per test file, one fresh context per test, and
// every test fails if the page threw an uncaught error.
import type { Browser } from 'playwright-core';
import type { ConversationSnapshot } from '../../src/shared/protocol';
import { snapshot } from './fixtures';
import { AssetServer, ChatPage, type OpenOptions, launchBrowser } from './harness';

export interface WebviewSuite {
  readonly server: AssetServer;
  open(options?: OpenOptions): Promise<ChatPage>;
  /** Opens the pane, completes the handshake and shows a snapshot. */
  openWith(snapshotInit?: Partial<ConversationSnapshot>, options?: OpenOptions): Promise<ChatPage>;
}

export function webviewSuite(): WebviewSuite {
  let browser: Browser | undefined;
  let server: AssetServer | undefined;
  const pages: ChatPage[] = [];

  before(async function () {
    this.timeout(30_000);
    [browser, server] = await Promise.all([launchBrowser(), AssetServer.start()]);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  afterEach(async () => {
    const errors: string[] = [];
    for (const page of pages.splice(0)) {
      errors.push(...page.pageErrors);
      await page.close();
    }
    if (errors.length > 0) throw new Error(`uncaught errors in the webview:\n${errors.join('\n')}`);
  });

  const suite: WebviewSuite = {
    get server(): AssetServer {
      if (!server) throw new Error('the asset server is not started');
      return server;
    },
    async open(options?: OpenOptions): Promise<ChatPage> {
      if (!browser || !server) throw new Error('the browser is not started');
      const page = await ChatPage.open(browser, server, options);
      pages.push(page);
      return page;
    },
    async openWith(snapshotInit?: Partial<ConversationSnapshot>, options?: OpenOptions): Promise<ChatPage> {
      const page = await suite.open(options);
      await page.acceptReady();
      await page.notify('conversation/snapshot', snapshot(snapshotInit));
      await page.page.waitForSelector('.shell:not([hidden])');
      return page;
    },
  };
  return suite;
}
