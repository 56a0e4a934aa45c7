// Client for the harness's driver server (scripts/lib/driverServer.mjs): lets integration tests act
// like a person inside the real workbench and the webviews, through Playwright in the launcher.
// The launcher passes the server's URL in VENUE_CHAT_TEST_DRIVER (code-server hands its own
// environment on to the extension host).

/** Where to look: the frames of VS Code webviews, the workbench page itself, or every frame. */
export type Scope = 'webview' | 'workbench' | 'any';

interface Targeted {
  selector: string;
  scope?: Scope;
  /** How long to wait for a matching element to appear (default 10 s). */
  timeoutMs?: number;
}

export interface Driver {
  /** Waits until `text` occurs in a frame's text or in an element's aria-label/title. */
  waitForText(text: string, options?: { scope?: Scope; timeoutMs?: number }): Promise<{ found: boolean; frame?: string }>;
  click(options: Targeted & { hasText?: string }): Promise<void>;
  fill(options: Targeted & { value: string }): Promise<void>;
  press(options: Targeted & { key: string }): Promise<void>;
  count(options: { selector: string; scope?: Scope }): Promise<number>;
  textContent(options: { selector: string; scope?: Scope }): Promise<string[]>;
  /** Saves test-results/<name>.png in the repository. */
  screenshot(name: string): Promise<void>;
  /** Starts recording when each `<prefix><digits>` token first appears in the DOM of the frames in `scope`. */
  watchTexts(prefix: string, scope?: Scope): Promise<void>;
  /** What `watchTexts` recorded: token -> first time seen (wall-clock ms). */
  collectTexts(prefix: string, scope?: Scope): Promise<Record<string, number>>;
}

export function driverUrl(): string {
  const url = process.env['VENUE_CHAT_TEST_DRIVER'];
  if (!url) throw new Error('VENUE_CHAT_TEST_DRIVER is not set: run the suite through scripts/integration.mjs');
  return url;
}

async function call<T>(path: string, body: object): Promise<T> {
  const res = await fetch(driverUrl() + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const data = (await res.json()) as T & { error?: string };
  if (!res.ok) throw new Error(`driver ${path} failed: ${data.error ?? res.status}`);
  return data;
}

export const driver: Driver = {
  waitForText: (text, options = {}) => call('/waitForText', { text, ...options }),
  click: async (options) => { await call('/click', options); },
  fill: async (options) => { await call('/fill', options); },
  press: async (options) => { await call('/press', options); },
  count: async (options) => (await call<{ count: number }>('/count', options)).count,
  textContent: async (options) => (await call<{ texts: string[] }>('/textContent', options)).texts,
  screenshot: async (name) => { await call('/screenshot', { name }); },
  watchTexts: async (prefix, scope = 'webview') => { await call('/watchTexts', { prefix, scope }); },
  collectTexts: async (prefix, scope = 'webview') => (await call<{ seen: Record<string, number> }>('/collectTexts', { prefix, scope })).seen,
};

/** Answers one quick-input prompt of the workbench: waits for its title, checks a password box where one is due, types and confirms. */
export async function answerPrompt(title: string, value: string, password = false): Promise<void> {
  const input = '.quick-input-widget .quick-input-box input';
  const seen = await driver.waitForText(title, { scope: 'workbench', timeoutMs: 15000 });
  if (!seen.found) throw new Error(`prompt "${title}" was not shown`);
  if (password && (await driver.count({ selector: '.quick-input-widget input[type="password"]', scope: 'workbench' })) < 1) throw new Error(`${title} is not a password box`);
  await driver.fill({ selector: input, value, scope: 'workbench' });
  await driver.press({ selector: input, key: 'Enter', scope: 'workbench' });
}

/**
 * Types `text` into the chat pane's composer and sends it with Enter once the pane would send it
 * (its conversation loaded, the connection allowing): what a person sees before pressing Enter.
 * An Enter pressed earlier is refused by the composer on screen ("still loading"; the text is
 * kept), and a test that pressed it would wait for a send that was never made.
 */
export async function sendFromComposer(text: string, timeoutMs = 20000): Promise<void> {
  const box = '.composer__box textarea';
  await driver.fill({ selector: box, value: text, scope: 'webview' });
  const deadline = Date.now() + timeoutMs;
  while ((await driver.count({ selector: '.composer__send:not([disabled])', scope: 'webview' })) === 0) {
    if (Date.now() > deadline) {
      const hints = await driver.textContent({ selector: '.composer__hint, .composer__error', scope: 'webview' });
      throw new Error(`the composer would not send after ${timeoutMs} ms: ${hints.filter(Boolean).join(' / ') || 'no hint shown'}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await driver.press({ selector: box, key: 'Enter', scope: 'webview' });
}
