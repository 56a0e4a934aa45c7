// The `package` tier: `vsce package` makes a .vsix, code-server installs it into an empty
// extensions folder like a user would, and the workbench in headless Chromium shows the
// extension's view container and welcome view: the packaged extension installs and activates.
// Then the venue bundles: every one is in the installed folder and loads there with its shared
// libraries (no node_modules), and "Try the Sandbox" adds an account of every venue, which loads
// each venue's bundle in the real extension host. The media: the PNG icon and every walkthrough
// page are in the .vsix and the screenshot is not (.vscodeignore), the packaged readme shows it by
// an https URL, and the walkthrough opens in the workbench. Last, the languages: with a
// pseudo-translation of package.nls.json and of the l10n bundle put beside the installed extension,
// code-server started in the pseudo-language shows the manifest's, the host's and the chat pane's
// texts translated, and the pane's `lang` follows VS Code's.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { codeServerDir, launchCodeServer, repoRoot } from './codeServer.mjs';
import { framesInScope } from './driverServer.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './hosts.mjs';
import { run } from './processes.mjs';

const VENUES = ['mexc', 'binance', 'bybit', 'multiwa', 'mixin'];
const LIBS = ['axios', 'ws', 'zod', 'l10n'];
/** VS Code's pseudo-language: every letter accented, vowels doubled, `{0}` kept. */
const PSEUDO = 'qps-ploc';
/** The venues' names as the inbox tree shows them (venues/<venue>/descriptor.ts). */
const VENUE_NAMES = ['MEXC P2P', 'Binance C2C', 'Bybit P2P', 'MultiWA (WhatsApp gateway)', 'Mixin Messenger bot'];

/**
 * What the .vsix must and must not carry besides the bundles, read from the installed folder (what
 * code-server unpacked from it) and its package.json.
 * @param {string} installedDir
 * @returns {{ name: string, ok: boolean, detail: string }[]}
 */
export function mediaChecks(installedDir) {
  const manifest = JSON.parse(readFileSync(join(installedDir, 'package.json'), 'utf8'));
  const absent = (files) => files.filter((f) => !f || !existsSync(join(installedDir, f)));
  const checks = [];
  const expect = (name, missing) => checks.push({ name, ok: missing.length === 0, detail: missing.length ? `missing ${missing.join(', ')}` : '' });
  expect('the .vsix carries the PNG icon the manifest names', absent([manifest.icon]).concat(manifest.icon?.endsWith('.png') ? [] : [`a PNG icon (icon is ${manifest.icon})`]));
  const steps = (manifest.contributes?.walkthroughs ?? []).flatMap((w) => w.steps);
  expect('the .vsix carries every walkthrough page', steps.length ? absent(steps.map((s) => s.media?.markdown ?? s.media?.image)) : ['the walkthrough']);
  expect('the .vsix carries the media the extension uses', absent(['media/venue-chat.svg', 'media/chat.css']));
  expect('the .vsix carries the l10n bundle the manifest names', absent([manifest.l10n ? join(manifest.l10n, 'bundle.l10n.json') : undefined]));
  // .vscodeignore leaves the screenshot out on purpose: the store page shows it from the repository.
  const screenshot = existsSync(join(installedDir, 'media', 'screenshot.png'));
  checks.push({ name: 'the .vsix leaves media/screenshot.png out, as .vscodeignore says', ok: !screenshot, detail: screenshot ? 'it is in the .vsix' : '' });
  const readme = existsSync(join(installedDir, 'readme.md')) ? readFileSync(join(installedDir, 'readme.md'), 'utf8') : '';
  const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);
  const local = images.filter((url) => !url.startsWith('https://'));
  checks.push({
    name: 'the packaged readme shows the screenshot by an https URL',
    ok: images.some((url) => url.endsWith('/media/screenshot.png')) && local.length === 0,
    detail: readme ? `images: ${images.join(', ') || 'none'}` : 'no readme.md',
  });
  return checks;
}

/** @returns {Promise<{passed: number, failed: number, note?: string}>} */
export async function checkVsix() {
  const dir = mkdtempSync(join(tmpdir(), 'venue-chat-vsix-'));
  const vsix = join(dir, 'venue-chat.vsix');
  const checks = [];
  const check = (name, ok, detail = '') => {
    checks.push(ok);
    console.log(`  ${ok ? '✓' : '✗'} ${name}${detail ? ` (${detail})` : ''}`);
  };
  let server;
  let browser;
  let page;
  try {
    await run(join(repoRoot, 'node_modules', '.bin', 'vsce'), ['package', '--out', vsix], { cwd: repoRoot });
    check('vsce package makes a .vsix', true);
    const extensionsDir = join(dir, 'extensions');
    const userDataDir = join(dir, 'user-data');
    const install = await run(process.execPath, [join(codeServerDir, 'out/node/entry.js'), '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix], {
      env: { XDG_DATA_HOME: join(dir, 'xdg-data') },
    });
    check('code-server installs it', /successfully installed/i.test(install.output));
    const installed = readdirSync(extensionsDir).find((name) => name.startsWith('venue-chat.venue-chat-'));
    const dist = join(extensionsDir, installed ?? 'missing', 'dist');
    const missing = [...VENUES.map((v) => `venues/${v}.js`), ...LIBS.map((l) => `lib/${l}.js`)].filter((f) => !existsSync(join(dist, f)));
    check('the .vsix carries every venue bundle and shared library', missing.length === 0, missing.length ? `missing ${missing.join(', ')}` : '');
    // A fresh Node process per bundle, in the installed folder: what it requires must be there.
    const unloadable = VENUES.filter((venue) => {
      try {
        const script = `const m = require(${JSON.stringify(join(dist, 'venues', `${venue}.js`))}).venueModule; if (!m || m.venue !== ${JSON.stringify(venue)} || typeof m.createAdapter !== 'function') process.exit(3)`;
        execFileSync(process.execPath, ['-e', script], { stdio: 'pipe' });
        return false;
      } catch {
        return true;
      }
    });
    check('each installed venue bundle loads on its own', unloadable.length === 0, unloadable.length ? `failed: ${unloadable.join(', ')}` : '');
    // The venue bundles translate with the one @vscode/l10n the host configures (dist/lib/l10n.js):
    // a copy of their own would never see the display language's bundle.
    const ownCopy = ['extension.js', ...VENUES.map((v) => `venues/${v}.js`)].filter((f) => existsSync(join(dist, f)) && readFileSync(join(dist, f), 'utf8').includes('expected a string as the first argument to l10n.t'));
    check('the main and venue bundles share dist/lib/l10n.js rather than carry their own copy', ownCopy.length === 0, ownCopy.length ? `own copy in ${ownCopy.join(', ')}` : '');
    for (const { name, ok, detail } of mediaChecks(join(extensionsDir, installed ?? 'missing'))) check(name, ok, detail);
    server = await launchCodeServer({ userDataDir, extensionsDir, folder: join(dir, 'workspace') });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(join(dir, 'workspace'))}`);
    const container = page.locator('.activitybar [aria-label*="Venue Chat"]').first();
    await container.waitFor({ timeout: 60_000 });
    await container.click();
    const welcome = page.getByText('No accounts yet');
    await welcome.first().waitFor({ timeout: 30_000 });
    check('the installed extension activates and shows its inbox', true);
    // Try the Sandbox: the installed sandbox starts and an account of every venue is added, each
    // through its venue bundle (a venue whose bundle does not load is never added). The tree is
    // virtualised (rows below the fold are not in the DOM), so the check reads the first venue row's
    // aria-setsize: the number of venues in the tree.
    await page.getByText('Try the Sandbox', { exact: true }).first().click();
    await page.locator('.monaco-list-row[aria-level="1"]').filter({ hasText: VENUE_NAMES[0] }).first().waitFor({ timeout: 60_000 });
    await page.locator(`.monaco-list-row[aria-level="1"][aria-setsize="${VENUE_NAMES.length}"]`).first().waitFor({ timeout: 90_000 });
    check('"Try the Sandbox" adds an account of every venue (each venue bundle loaded in the extension host)', true);
    // The walkthrough is registered and its strings resolve: opened from the palette like a user
    // would, its localized title and first step show.
    await runFromPalette(page, 'Welcome: Open Walkthrough...');
    await page.keyboard.type('Get Started with Venue Chat');
    await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Get Started with Venue Chat' }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    await page.getByText('Try the sandbox first').first().waitFor({ timeout: 30_000 });
    check('the walkthrough opens in the workbench with its localized steps', true);
    await page.screenshot({ path: join(repoRoot, 'test-results', 'vsix-installed.png') }).catch(() => {});
    await browser.close();
    await server.stop();
    const session = {};
    try {
      await checkPseudoLanguage({ dir, userDataDir, extensionsDir, installedDir: join(extensionsDir, installed ?? 'missing'), check, session });
    } finally {
      ({ server, browser, page } = session);
    }
  } catch (err) {
    check('packaged extension', false, String(err.message ?? err).split('\n')[0]);
    console.log(String(err.stack ?? err).split('\n').slice(0, 4).join('\n'));
    await page?.screenshot({ path: join(repoRoot, 'test-results', 'vsix-failed.png') }).catch(() => {});
    const rows = await page?.locator('.monaco-list-row[aria-level="1"]').evaluateAll((els) => els.map((r) => `${r.textContent} (${r.getAttribute('aria-posinset')}/${r.getAttribute('aria-setsize')})`)).catch(() => []);
    if (rows?.length) console.log(`  top-level tree rows: ${rows.join(', ')}`);
  } finally {
    await browser?.close().catch(() => {});
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const failed = checks.filter((ok) => !ok).length;
  return { passed: checks.length - failed, failed };
}

/**
 * Starts code-server again in the pseudo-language, with pseudo-translations of the manifest's
 * strings and of the l10n bundle beside the installed extension (where a language pack or a
 * translator's files would put them), and checks each layer shows them: the manifest (view
 * container, welcome view), the host (`vscode.l10n.t`: the account row), the venue bundles (the
 * shared @vscode/l10n the host configured: a venue's account form label) and the chat pane
 * (`@vscode/l10n` in the webview: the Send button, and `<html lang>`).
 */
async function checkPseudoLanguage({ dir, userDataDir, extensionsDir, installedDir, check, session }) {
  const { getL10nPseudoLocalized } = await import('@vscode/l10n-dev');
  const readJson = (file) => JSON.parse(readFileSync(join(installedDir, file), 'utf8'));
  const nls = getL10nPseudoLocalized(readJson('package.nls.json'));
  const bundle = getL10nPseudoLocalized(readJson('l10n/bundle.l10n.json'));
  writeFileSync(join(installedDir, `package.nls.${PSEUDO}.json`), JSON.stringify(nls));
  writeFileSync(join(installedDir, 'l10n', `bundle.l10n.${PSEUDO}.json`), JSON.stringify(bundle));
  const pseudo = (english) => {
    const text = bundle[english];
    if (text === undefined) throw new Error(`the l10n bundle has no "${english}"`);
    return typeof text === 'string' ? text : text.message;
  };
  // VS Code takes a display language only from a language pack it knows (user-data/languagepacks.json,
  // which installing a pack writes): an empty core translation is enough, VS Code's own texts stay English.
  const coreTranslations = join(dir, 'pseudo-core.i18n.json');
  writeFileSync(coreTranslations, JSON.stringify({ version: '1.0.0', contents: {} }));
  writeFileSync(join(userDataDir, 'languagepacks.json'), JSON.stringify({
    // VS Code reads the first entry of `extensions` (the pack's own id) when it lists installed languages.
    [PSEUDO]: { hash: 'venuechatpseudo', extensions: [{ extensionIdentifier: { id: 'venue-chat-tests.pseudo-language' }, version: '1.0.0' }], translations: { vscode: coreTranslations }, label: 'Pseudo' },
  }));
  session.server = await launchCodeServer({ userDataDir, extensionsDir, folder: join(dir, 'workspace'), locale: PSEUDO });
  session.browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  const page = session.page = await session.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const server = session.server;
  await page.goto(`${server.url}/?folder=${encodeURIComponent(join(dir, 'workspace'))}`);
  const container = page.locator(`.activitybar [aria-label*="${nls['container.title']}"]`).first();
  await container.waitFor({ timeout: 60_000 });
  await container.click();
  check(`${PSEUDO}: the manifest's strings (the view container)`, true);
  // The welcome view's button, in the pseudo-language, starts the sandbox: account rows, with the host's words.
  const trySandbox = /\[([^\]]+)\]\(command:venueChat\.trySandbox\)/.exec(nls['welcome.inbox'])?.[1] ?? 'Try the Sandbox';
  await page.getByText(trySandbox, { exact: true }).first().click({ timeout: 30_000 });
  const online = page.locator('.monaco-list-row[aria-level="2"]').filter({ hasText: pseudo('online') });
  await online.first().waitFor({ timeout: 90_000 });
  check(`${PSEUDO}: the host's strings (an account row says "${pseudo('online')}")`, true);
  await runFromPalette(page, nls['command.addAccount'].replace(/…$/, ''));
  const mexcName = 'MEXC P2P';
  await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: mexcName }).first().click({ timeout: 15_000 });
  // The account's name (the venue's name is offered), then the first key field, titled by its label.
  await page.locator('.quick-input-widget').filter({ hasText: pseudo('Add Account: label') }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  const label = pseudo('API key (access key)');
  await page.locator('.quick-input-widget').filter({ hasText: label }).first().waitFor({ timeout: 15_000 });
  check(`${PSEUDO}: a venue's account form ("${label}")`, true);
  await page.keyboard.press('Escape');
  // A conversation: the first one under the first account.
  const conversation = page.locator('.monaco-list-row[aria-level="3"]').first();
  await conversation.waitFor({ timeout: 30_000 });
  // The sandbox's WhatsApp pairing page may open in front meanwhile: the row is opened again if so.
  let pane;
  for (let attempt = 1; !pane; attempt++) {
    await conversation.click();
    pane = await webviewFrame(page, '.composer__send', 15_000).catch((err) => { if (attempt === 3) throw err; });
  }
  const lang = await pane.evaluate(() => document.documentElement.lang);
  const send = (await pane.locator('.composer__send').first().textContent())?.trim();
  check(`${PSEUDO}: the chat pane's strings and lang`, lang === PSEUDO && send === pseudo('Send'), `lang ${lang}, Send button "${send}"`);
  await page.screenshot({ path: join(repoRoot, 'test-results', `vsix-${PSEUDO}.png`) }).catch(() => {});
}

/** The first webview frame that has `selector`. */
async function webviewFrame(page, selector, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of framesInScope(page, 'webview')) {
      if (await frame.locator(selector).count().catch(() => 0)) return frame;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no webview shows ${selector} within ${timeoutMs} ms`);
}

/** Opens the command palette and runs the command with this exact title. */
async function runFromPalette(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 10_000 });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: title }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
}
