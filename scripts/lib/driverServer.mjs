// Loopback JSON server that lets integration tests (running inside the extension host) act on the
// workbench page through Playwright: find text, click, type, count, read, take screenshots.
// Client: test/integration/driver.ts.
import { createServer } from 'node:http';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const DEFAULT_TIMEOUT_MS = 10_000;
// Short enough that a measured push -> DOM time is dominated by the product, not by the polling.
const POLL_MS = 25;

// VS Code webviews are nested iframes: an outer `.../webview/browser/pre/index.html` host frame and
// an inner active frame (`fake.html`, or about:blank/srcdoc in some versions) that holds the
// extension's HTML. A frame belongs to a webview when it or any ancestor is such a host frame.
function isWebviewFrame(frame) {
  for (let f = frame; f; f = f.parentFrame()) {
    if (/\/webview\/|vscode-webview:|vscode-cdn\.net/.test(f.url())) return true;
  }
  return false;
}

/** Frames of `page` in `scope`: 'workbench' = the page itself, 'webview', or 'any'. */
export function framesInScope(page, scope = 'any') {
  if (scope === 'workbench') return [page.mainFrame()];
  const frames = page.frames().filter((f) => !f.isDetached());
  if (scope === 'webview') return frames.filter(isWebviewFrame);
  if (scope === 'any') return frames;
  throw new Error(`unknown scope "${scope}" (use webview, workbench or any)`);
}

// Runs in the page: the text is visible content or an accessible name (the activity bar and many
// toolbar items show icons only, their names live in aria-label/title). textContent, not
// innerText, so CSS text-transform (e.g. upper-case view titles) does not hide a match.
function pageHasText(text) {
  if (!document.body) return false;
  if (document.body.textContent?.includes(text)) return true;
  for (const el of document.querySelectorAll('[aria-label],[title]')) {
    if (el.getAttribute('aria-label')?.includes(text) || el.getAttribute('title')?.includes(text)) return true;
  }
  return false;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function frameHasText(frame, text) {
  try {
    return await frame.evaluate(pageHasText, text);
  } catch {
    return false; // frame navigating or detached: look again on the next poll
  }
}

/** First element matching selector (and hasText) in any frame of scope, waiting up to timeoutMs. */
async function findLocator(page, { selector, scope, hasText, timeoutMs = DEFAULT_TIMEOUT_MS }) {
  if (!selector) throw new Error('selector is required');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of framesInScope(page, scope)) {
      let locator = frame.locator(selector);
      if (hasText !== undefined) locator = locator.filter({ hasText });
      try {
        if (await locator.count() > 0) return locator.first();
      } catch {
        // detached frame or a selector this frame cannot parse yet: try the others
      }
    }
    if (Date.now() >= deadline) {
      throw new Error(`no element matches ${JSON.stringify(selector)}${hasText ? ` with text ${JSON.stringify(hasText)}` : ''} in scope ${scope ?? 'any'} after ${timeoutMs} ms`);
    }
    await sleep(POLL_MS);
  }
}

/** Runs in a frame: records the first time each `<prefix><digits>` token is added to the DOM. */
function installTextWatch(prefix) {
  const all = (window.__venueChatSeen ??= {});
  const seen = (all[prefix] ??= {});
  const pattern = new RegExp(`${prefix}\\d+`, 'g');
  const note = (text) => {
    if (!text || !text.includes(prefix)) return;
    const at = Date.now();
    for (const token of text.match(pattern) ?? []) if (!(token in seen)) seen[token] = at;
  };
  note(document.body?.textContent ?? '');
  if (window.__venueChatWatching?.includes(prefix)) return;
  (window.__venueChatWatching ??= []).push(prefix);
  new MutationObserver((records) => {
    for (const r of records) {
      for (const node of r.addedNodes) note(node.textContent);
      if (r.type === 'characterData') note(r.target.textContent);
    }
  }).observe(document, { childList: true, subtree: true, characterData: true });
}

async function eachFrame(page, scope, fn) {
  const out = [];
  for (const frame of framesInScope(page, scope)) {
    try {
      out.push(await fn(frame));
    } catch {
      // a frame that went away mid-query contributes nothing
    }
  }
  return out;
}

function handlers(getPage, resultsDir) {
  return {
    async waitForText({ text, timeoutMs = DEFAULT_TIMEOUT_MS, scope = 'any' }) {
      if (typeof text !== 'string' || !text) throw new Error('text is required');
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const page = getPage();
        for (const frame of framesInScope(page, scope)) {
          if (await frameHasText(frame, text)) return { found: true, frame: frame.url() };
        }
        if (Date.now() >= deadline) return { found: false };
        await sleep(POLL_MS);
      }
    },
    async click(body) {
      await (await findLocator(getPage(), body)).click({ timeout: body.timeoutMs ?? DEFAULT_TIMEOUT_MS });
      return {};
    },
    async fill(body) {
      await (await findLocator(getPage(), body)).fill(String(body.value ?? ''), { timeout: body.timeoutMs ?? DEFAULT_TIMEOUT_MS });
      return {};
    },
    async press(body) {
      if (!body.key) throw new Error('key is required');
      await (await findLocator(getPage(), body)).press(body.key, { timeout: body.timeoutMs ?? DEFAULT_TIMEOUT_MS });
      return {};
    },
    async count({ selector, scope }) {
      const counts = await eachFrame(getPage(), scope, (f) => f.locator(selector).count());
      return { count: counts.reduce((a, b) => a + b, 0) };
    },
    async textContent({ selector, scope }) {
      const lists = await eachFrame(getPage(), scope, (f) => f.locator(selector).allTextContents());
      return { texts: lists.flat() };
    },
    /**
     * Starts recording, in every frame of `scope`, when each token `<prefix><digits>` first appears
     * in the DOM (wall-clock ms, comparable with the test's Date.now()): a MutationObserver, so the
     * time is when the pane rendered it, not when a poll happened to look.
     */
    async watchTexts({ prefix, scope = 'webview' }) {
      if (typeof prefix !== 'string' || !/^[\w-]+$/.test(prefix)) throw new Error('prefix must be letters, digits, dash or underscore');
      const frames = await eachFrame(getPage(), scope, (f) => f.evaluate(installTextWatch, prefix));
      return { frames: frames.length };
    },
    /** What `watchTexts` recorded: token -> first time seen, over every frame of `scope`. */
    async collectTexts({ prefix, scope = 'webview' }) {
      const maps = await eachFrame(getPage(), scope, (f) => f.evaluate((p) => (window.__venueChatSeen?.[p] ?? {}), prefix));
      const seen = {};
      for (const map of maps) for (const [token, at] of Object.entries(map)) if (!(token in seen) || at < seen[token]) seen[token] = at;
      return { seen };
    },
    async screenshot({ name }) {
      if (!/^[\w.-]+$/.test(name ?? '')) throw new Error('name must be letters, digits, dot, dash or underscore');
      mkdirSync(resultsDir, { recursive: true });
      const path = join(resultsDir, `${name}.png`);
      await getPage().screenshot({ path });
      return { path };
    },
  };
}

function readJson(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c) => { data += c; });
    req.on('end', () => {
      try { resolve(data ? JSON.parse(data) : {}); } catch (err) { reject(err); }
    });
    req.on('error', reject);
  });
}

/**
 * Starts the driver on 127.0.0.1 (random port). `getPage()` returns the Playwright page to act on;
 * it may change over time (e.g. after a reload). Calls are logged through `log` when given.
 * @returns {Promise<{url: string, close: () => Promise<void>}>}
 */
export async function startDriverServer({ getPage, resultsDir, log }) {
  const routes = handlers(getPage, resultsDir);
  const server = createServer(async (req, res) => {
    const reply = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const name = (req.url ?? '').replace(/^\//, '').split('?')[0];
    const route = Object.hasOwn(routes, name) ? routes[name] : undefined;
    if (req.method !== 'POST' || !route) return reply(404, { error: `unknown endpoint ${req.method} ${req.url}` });
    try {
      const body = await readJson(req);
      const result = await route(body);
      log?.(`driver ${name} ${JSON.stringify(body)} → ${JSON.stringify(result)}`);
      reply(200, result);
    } catch (err) {
      log?.(`driver ${name} failed: ${err instanceof Error ? err.message : err}`);
      reply(500, { error: err instanceof Error ? err.message : String(err) });
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
