// The two ways to get a real VS Code running the integration suite, each giving the driver a
// Playwright page:
// - code-server (default): VS Code's server + web workbench, opened in headless Chromium;
// - electron (VENUE_CHAT_TEST_HOST=electron): desktop VS Code via @vscode/test-electron, which needs
//   VS Code's download site (or VENUE_CHAT_VSCODE_EXECUTABLE) and a display (e.g. xvfb-run).
import { chromium } from 'playwright-core';
import { launchCodeServer, workbenchUrl } from './codeServer.mjs';
import { freePort, killByArgument } from './processes.mjs';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox', // running as root in a container
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/**
 * @typedef {{ workspace: string, userDataDir: string, extensionsDir: string, extensionPath: string, testsPath: string,
 *             env: Record<string,string>, logFile: string, onConsole: (line: string) => void,
 *             port?: number, browserProfileDir?: string }} HostOptions
 *   port, browserProfileDir (code-server only): for a VS Code started again on the same profile. The
 *   web workbench keeps globalState and SecretStorage in the browser's storage for its origin, so a
 *   second launch must use the same port and the same browser profile to find them.
 * @typedef {{ page: import('playwright-core').Page, exited: Promise<string>, stop: () => Promise<void>,
 *             kill?: () => Promise<void> }} Host
 *   kill: VS Code's processes SIGKILLed at once (a crash), then the browser closed.
 */

/** @param {HostOptions} o @returns {Promise<Host>} */
export async function startCodeServerHost(o) {
  const server = await launchCodeServer({
    port: o.port, userDataDir: o.userDataDir, extensionsDir: o.extensionsDir, folder: o.workspace, env: o.env, logFile: o.logFile,
  });
  let browser;
  try {
    const viewport = { width: 1400, height: 900 };
    const launch = { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS };
    let page;
    if (o.browserProfileDir) {
      // A persistent context is its own browser; closing it closes the browser.
      browser = await chromium.launchPersistentContext(o.browserProfileDir, { ...launch, viewport });
      page = browser.pages()[0] ?? await browser.newPage();
    } else {
      browser = await chromium.launch(launch);
      page = await browser.newPage({ viewport });
    }
    page.on('console', (m) => o.onConsole(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => o.onConsole(`[pageerror] ${e.message}`));
    await page.goto(workbenchUrl({ url: server.url, port: server.port, folder: o.workspace, extensionPath: o.extensionPath, testsPath: o.testsPath }));
    const exited = new Promise((resolve) => {
      server.child.once('exit', (code, signal) => resolve(`code-server exited (${code ?? signal})`));
      page.once('crash', () => resolve('the workbench page crashed'));
      // The extension host ends after run() (or when it crashes); code-server itself stays up.
      const onOutput = (chunk) => {
        const m = /Extension Host Process exited with code: (\w+), signal: (\w+)/.exec(chunk.toString());
        if (m) resolve(`the extension host exited (code ${m[1]}, signal ${m[2]})`);
      };
      server.child.stdout.on('data', onOutput);
      server.child.stderr.on('data', onOutput);
    });
    return {
      page,
      exited,
      stop: async () => {
        await browser.close().catch(() => {});
        await server.stop();
      },
      kill: async () => {
        await server.kill();
        await browser.close().catch(() => {});
      },
    };
  } catch (err) {
    await browser?.close().catch(() => {});
    await server.stop();
    throw err;
  }
}

/** @param {HostOptions} o @returns {Promise<Host>} */
export async function startElectronHost(o) {
  const { runTests } = await import('@vscode/test-electron');
  const cdpPort = await freePort();
  // runTests resolves when VS Code exits (our suite's run() never fails on red tests, so exit 0).
  const exited = runTests({
    version: process.env.VENUE_CHAT_VSCODE_VERSION ?? '1.100.3',
    ...(process.env.VENUE_CHAT_VSCODE_EXECUTABLE ? { vscodeExecutablePath: process.env.VENUE_CHAT_VSCODE_EXECUTABLE } : {}),
    extensionDevelopmentPath: o.extensionPath,
    extensionTestsPath: o.testsPath,
    extensionTestsEnv: o.env,
    launchArgs: [
      o.workspace,
      `--user-data-dir=${o.userDataDir}`,
      `--extensions-dir=${o.extensionsDir}`,
      '--disable-extensions', // other installed extensions; the one under development still loads
      // Lets Playwright attach to the Electron renderer, so the driver works the same way.
      `--remote-debugging-port=${cdpPort}`,
    ],
  }).then((code) => `VS Code exited (${code})`, (err) => `VS Code failed: ${err.message}`);

  const browser = await connectOverCdp(cdpPort, exited);
  const page = await workbenchPage(browser);
  page.on('console', (m) => o.onConsole(`[${m.type()}] ${m.text()}`));
  return {
    page,
    exited,
    // After run() VS Code closes by itself; on a timeout ask it to quit, then make sure (our
    // processes are the ones carrying this run's unique user-data-dir).
    stop: async () => {
      const session = await browser.newBrowserCDPSession().catch(() => null);
      await session?.send('Browser.close').catch(() => {});
      await browser.close().catch(() => {});
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      await killByArgument(`--user-data-dir=${o.userDataDir}`);
    },
  };
}

async function connectOverCdp(port, exited) {
  let gone = null;
  exited.then((why) => { gone = why; });
  const deadline = Date.now() + 120_000; // includes VS Code's download on a first run
  for (;;) {
    try {
      return await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
    } catch (err) {
      if (gone) throw new Error(gone);
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

async function workbenchPage(browser) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    for (const context of browser.contexts()) {
      const page = context.pages().find((p) => p.url().includes('workbench'));
      if (page) return page;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('no VS Code workbench window appeared');
}
