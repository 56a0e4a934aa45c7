// Test harness for the chat webview: serves dist/webview.js and media/ on 127.0.0.1, renders the
// real page from chatPanelHtml(), and injects a fake acquireVsCodeApi (page.addInitScript) that
// records what the webview posts and keeps getState/setState across reloads (sessionStorage).
// Tests answer requests and push notifications through window.postMessage, exactly the way VS Code
// delivers them (a `message` event whose `data` is the envelope).
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { type ChatPanelHtmlOptions, chatPanelHtml } from '../../src/shared/chatHtml';
import type {
  NotificationMethod,
  NotificationParams,
  ProtocolError,
  RequestEnvelope,
  RequestMethod,
  RequestResults,
} from '../../src/shared/protocol';
import { THEMES, type WebviewTheme, themeVariables } from './themes';

/** The repository root: the first folder above this bundle (dist/test/webview, or dist for the bench) with a package.json. */
function repoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}

export const REPO_ROOT = repoRoot(__dirname);

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

// A 1x1 transparent PNG for media that must load.
const PIXEL_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

interface Listening {
  readonly server: http.Server;
  readonly origin: string;
}

function listen(handler: http.RequestListener): Promise<Listening> {
  const server = http.createServer(handler);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, origin: `http://127.0.0.1:${port}` });
    });
  });
}

function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Serves the extension's files (like localResourceRoots dist/ and media/) and the chat page. */
export class AssetServer {
  private constructor(
    private readonly app: Listening,
    private readonly mediaHost: Listening,
  ) {}

  /** Origin standing in for `webview.cspSource`. */
  get origin(): string {
    return this.app.origin;
  }

  /** A second origin standing in for a venue's media host (allowed in img-src/media-src). */
  get mediaOrigin(): string {
    return this.mediaHost.origin;
  }

  static async start(): Promise<AssetServer> {
    let html = '';
    const app = await listen((req, res) => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        if (url.pathname === '/' || url.pathname === '/index.html') {
          const theme = THEMES.find((t) => t.id === url.searchParams.get('theme'));
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
          res.end(theme ? withVsCodeTheme(html, theme) : html);
          return;
        }
        const allowed = url.pathname.startsWith('/dist/') || url.pathname.startsWith('/media/');
        const file = path.resolve(REPO_ROOT, `.${decodeURIComponent(url.pathname)}`);
        if (!allowed || !file.startsWith(REPO_ROOT + path.sep)) {
          res.writeHead(404).end();
          return;
        }
        try {
          const body = await readFile(file);
          res.writeHead(200, { 'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
          res.end(body);
        } catch {
          res.writeHead(404).end();
        }
      })();
    });
    const mediaHost = await listen((req, res) => {
      // Media under /hang/ never answers: the element stays in its loading state for inspection.
      if ((req.url ?? '').startsWith('/hang/')) return;
      if ((req.url ?? '').startsWith('/pixel.png')) {
        res.writeHead(200, { 'content-type': 'image/png' });
        res.end(PIXEL_PNG);
        return;
      }
      res.writeHead(404).end();
    });
    const server = new AssetServer(app, mediaHost);
    html = server.pageHtml();
    return server;
  }

  /**
   * The page exactly as the host builds it, with this server standing in for the webview origins;
   * `language` and `l10nBundle` as the host passes VS Code's display language and its translations.
   */
  pageHtml(nonce = randomBytes(16).toString('base64'), l10nOptions: Pick<ChatPanelHtmlOptions, 'language' | 'l10nBundle'> = {}): string {
    return chatPanelHtml({
      ...l10nOptions,
      cspSource: this.origin,
      nonce,
      scriptUri: `${this.origin}/dist/webview.js`,
      styleUris: [`${this.origin}/media/chat.css`],
      mediaOrigins: [this.mediaOrigin],
      title: 'Venue Chat test',
    });
  }

  async stop(): Promise<void> {
    await Promise.all([close(this.app.server), close(this.mediaHost.server)]);
  }
}

// VS Code's own default styles for webview content (its webview `pre/index.html`, 1.100), the part
// that bears on colours and layout.
const VSCODE_DEFAULT_STYLES = `
html { scrollbar-color: var(--vscode-scrollbarSlider-background) var(--vscode-editor-background); }
body {
  overscroll-behavior-x: none;
  background-color: transparent;
  color: var(--vscode-editor-foreground);
  font-family: var(--vscode-font-family);
  font-weight: var(--vscode-font-weight);
  font-size: var(--vscode-font-size);
  margin: 0;
  padding: 0 20px;
}
a, a code { color: var(--vscode-textLink-foreground); }
a:hover { color: var(--vscode-textLink-activeForeground); }
code { color: var(--vscode-textPreformat-foreground); background-color: var(--vscode-textPreformat-background); padding: 1px 3px; border-radius: 4px; }
blockquote { background: var(--vscode-textBlockQuote-background); border-color: var(--vscode-textBlockQuote-border); }
`;

/**
 * The page as VS Code would hand it to the webview in `theme`: like VS Code's webview host, the
 * document gets the theme's `--vscode-*` variables on <html>, the theme kind as body class and
 * `data-vscode-theme-kind`, and the default styles first in <head> (ahead of the page's CSP, as
 * VS Code inserts them), all before any page script runs.
 */
export function withVsCodeTheme(html: string, theme: WebviewTheme): string {
  const vars = Object.entries(themeVariables(theme))
    .map(([name, value]) => `${name}: ${value};`)
    .join(' ');
  // VS Code keeps `vscode-high-contrast` on high-contrast light too, for older webviews.
  const classes = theme.kind === 'vscode-high-contrast-light' ? 'vscode-high-contrast-light vscode-high-contrast' : theme.kind;
  const escape = (value: string): string => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  for (const tag of ['<html lang="en">', '<head>', '<body>']) if (!html.includes(tag)) throw new Error(`withVsCodeTheme: the page has no ${tag}`);
  return html
    .replace('<html lang="en">', `<html lang="en" style="${escape(vars)}">`)
    .replace('<head>', `<head>\n    <style id="_defaultStyles">${VSCODE_DEFAULT_STYLES}</style>`)
    .replace('<body>', `<body class="${classes}" role="document" data-vscode-theme-kind="${theme.kind}" data-vscode-theme-name="${escape(theme.label)}" data-vscode-theme-id="${escape(theme.label)}">`);
}

/** What the fake records per posted message. */
export type Posted = { readonly id?: number; readonly method?: string; readonly params?: unknown };

interface FakeOptions {
  readonly initialState: unknown;
}

/** Runs in the page before any page script: the stand-in for VS Code's webview API. */
function installFakeVsCodeApi(options: FakeOptions): void {
  const STATE_KEY = '__venueChatFakeState';
  interface FakeRecord {
    posted: unknown[];
    acquireCount: number;
    setStateCount: number;
  }
  const record: FakeRecord = { posted: [], acquireCount: 0, setStateCount: 0 };
  (window as unknown as { __fake: FakeRecord }).__fake = record;
  if (options.initialState !== undefined && sessionStorage.getItem(STATE_KEY) === null) {
    sessionStorage.setItem(STATE_KEY, JSON.stringify(options.initialState));
  }
  (window as unknown as { acquireVsCodeApi: () => unknown }).acquireVsCodeApi = () => {
    record.acquireCount++;
    // Like VS Code: the API can be acquired only once per page.
    if (record.acquireCount > 1) throw new Error('An instance of the VS Code API has already been acquired');
    return Object.freeze({
      postMessage: (message: unknown) => {
        // VS Code structured-clones the message; so do we, so later mutation cannot fool a test.
        const copy = structuredClone(message);
        record.posted.push(copy);
        // A test that serves requests itself (ChatPage.serve) hears of each one at once.
        const serve = (window as unknown as { __venueChatServe?: (envelope: unknown) => unknown }).__venueChatServe;
        if (typeof serve === 'function') void serve(copy);
      },
      getState: () => {
        const raw = sessionStorage.getItem(STATE_KEY);
        return raw === null ? undefined : JSON.parse(raw);
      },
      setState: (state: unknown) => {
        record.setStateCount++;
        sessionStorage.setItem(STATE_KEY, JSON.stringify(state));
        return state;
      },
    });
  };
}

export interface OpenOptions {
  /** Turn the page's CSP off, to prove the renderers alone are safe (defence in depth). */
  readonly bypassCSP?: boolean;
  readonly initialState?: unknown;
  readonly viewport?: { readonly width: number; readonly height: number };
  /**
   * The page's clock starts at this UTC ms and stands still (Date, timers and frames are
   * Playwright's fakes) until the test moves it with `page.clock.runFor(ms)`: countdowns are
   * checked at known moments, never by sleeping.
   */
  readonly clockAt?: number;
  /** Render the page in this VS Code theme (variables, body class, default styles). */
  readonly theme?: WebviewTheme;
  /** Serve this page instead of the default one (e.g. `server.pageHtml(undefined, { language, l10nBundle })`). */
  readonly html?: string;
}

/** Answers one kind of request on the test side (ChatPage.serve). */
export type RequestHandler<M extends RequestMethod> = (params: RequestEnvelope<M>['params']) => RequestResults[M] | Promise<RequestResults[M]>;

/** One chat page in its own browser context. */
export class ChatPage {
  private readonly handled = new Set<number>();
  private readonly handlers = new Map<RequestMethod, RequestHandler<RequestMethod>>();
  private serving: Promise<void> | undefined;

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly server: AssetServer,
  ) {}

  static async open(browser: Browser, server: AssetServer, options: OpenOptions = {}): Promise<ChatPage> {
    const context = await browser.newContext({
      bypassCSP: options.bypassCSP ?? false,
      timezoneId: 'UTC',
      locale: 'en-US',
      viewport: options.viewport ?? { width: 800, height: 600 },
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.addInitScript(installFakeVsCodeApi, { initialState: options.initialState });
    if (options.clockAt !== undefined) {
      // install() alone lets time flow from its start (a loaded machine showed 14:04 for 14:05):
      // start a minute early and pause at the moment, so the page sees exactly clockAt.
      await page.clock.install({ time: options.clockAt - 60_000 });
      await page.clock.pauseAt(options.clockAt);
    }
    if (options.html !== undefined) {
      const html = options.html;
      await context.route(`${server.origin}/`, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
    }
    const chat = new ChatPage(context, page, server);
    chat.pageErrors = errors;
    await page.goto(options.theme ? `${server.origin}/?theme=${encodeURIComponent(options.theme.id)}` : `${server.origin}/`);
    return chat;
  }

  /** Uncaught errors in the page (every test can assert there were none). */
  pageErrors: string[] = [];

  async posted(): Promise<Posted[]> {
    return this.page.evaluate(() => (window as unknown as { __fake: { posted: Posted[] } }).__fake.posted);
  }

  async requests<M extends RequestMethod>(method: M): Promise<RequestEnvelope<M>[]> {
    const all = await this.posted();
    return all.filter((m): m is RequestEnvelope<M> => m.method === method && typeof m.id === 'number');
  }

  /** The oldest request of `method` this test has not taken yet; waits for it to be posted. */
  async nextRequest<M extends RequestMethod>(method: M, timeoutMs = 5000): Promise<RequestEnvelope<M>> {
    const handle = await this.page.waitForFunction(
      ({ method, handled }) => {
        const posted = (window as unknown as { __fake: { posted: Posted[] } }).__fake.posted;
        return posted.find((m) => m.method === method && typeof m.id === 'number' && !handled.includes(m.id)) ?? false;
      },
      { method, handled: [...this.handled] },
      { timeout: timeoutMs, polling: 20 },
    );
    const envelope = (await handle.jsonValue()) as RequestEnvelope<M>;
    this.handled.add(envelope.id);
    return envelope;
  }

  /** Asserts that no new request of `method` arrives within `ms`. */
  async expectNoRequest(method: RequestMethod, ms = 300): Promise<void> {
    await this.page.waitForTimeout(ms);
    const pending = (await this.requests(method)).filter((r) => !this.handled.has(r.id));
    if (pending.length > 0) throw new Error(`unexpected ${method} request(s): ${JSON.stringify(pending)}`);
  }

  /**
   * Answers every request of `method` from now on with `handler`, as soon as the page posts it
   * (a binding the page calls, not polling), the way a host would. Served requests never come out
   * of `nextRequest`; `requests(method)` still lists them.
   */
  async serve<M extends RequestMethod>(method: M, handler: RequestHandler<M>): Promise<void> {
    this.handlers.set(method, handler as unknown as RequestHandler<RequestMethod>);
    this.serving ??= this.page.exposeFunction('__venueChatServe', (envelope: Posted) => this.onServedRequest(envelope)).then(() => undefined);
    await this.serving;
  }

  private async onServedRequest(envelope: Posted): Promise<void> {
    const method = envelope.method as RequestMethod | undefined;
    const handler = method !== undefined ? this.handlers.get(method) : undefined;
    if (!handler || typeof envelope.id !== 'number') return;
    this.handled.add(envelope.id);
    try {
      const result = await handler((envelope as RequestEnvelope).params);
      await this.deliver({ id: envelope.id, ok: true, result });
    } catch (error) {
      // The page may be closing; a handler's own failure is answered as the host would.
      if (this.page.isClosed()) return;
      await this.deliver({ id: envelope.id, ok: false, error: { code: 'internal', message: error instanceof Error ? error.message : String(error) } }).catch(() => undefined);
    }
  }

  async respond<M extends RequestMethod>(request: RequestEnvelope<M>, result: RequestResults[M]): Promise<void> {
    await this.deliver({ id: request.id, ok: true, result });
  }

  async respondError(request: RequestEnvelope, error: ProtocolError): Promise<void> {
    await this.deliver({ id: request.id, ok: false, error });
  }

  async notify<M extends NotificationMethod>(method: M, params: NotificationParams[M]): Promise<void> {
    await this.deliver({ method, params });
  }

  /** Posts a raw payload to the page the way VS Code does. */
  async deliver(data: unknown): Promise<void> {
    await this.page.evaluate((payload) => window.postMessage(payload, '*'), data);
  }

  /** Answers the ready handshake. */
  async acceptReady(): Promise<void> {
    const ready = await this.nextRequest('webview/ready');
    await this.respond(ready, { accepted: true });
  }

  /** Waits until the page has painted at least `frames` animation frames (upserts are applied per frame). */
  async frames(frames = 2): Promise<void> {
    await this.page.evaluate(
      (count) =>
        new Promise<void>((resolve) => {
          let left = count;
          const step = (): void => {
            if (--left <= 0) resolve();
            else requestAnimationFrame(step);
          };
          requestAnimationFrame(step);
        }),
      frames,
    );
  }

  async reload(): Promise<void> {
    this.handled.clear();
    await this.page.reload();
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}
