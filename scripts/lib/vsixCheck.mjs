// The `package` tier: `vsce package` makes a .vsix, code-server installs it into an empty
// extensions folder like a user would, and the workbench in headless Chromium shows the
// extension's view container and welcome view: the packaged extension installs and activates.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { codeServerDir, launchCodeServer, repoRoot } from './codeServer.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './hosts.mjs';
import { run } from './processes.mjs';

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
  try {
    await run(join(repoRoot, 'node_modules', '.bin', 'vsce'), ['package', '--out', vsix], { cwd: repoRoot });
    check('vsce package makes a .vsix', true);
    const extensionsDir = join(dir, 'extensions');
    const userDataDir = join(dir, 'user-data');
    const install = await run(process.execPath, [join(codeServerDir, 'out/node/entry.js'), '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix], {
      env: { XDG_DATA_HOME: join(dir, 'xdg-data') },
    });
    check('code-server installs it', /successfully installed/i.test(install.output));
    server = await launchCodeServer({ userDataDir, extensionsDir, folder: join(dir, 'workspace') });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(join(dir, 'workspace'))}`);
    const container = page.locator('.activitybar [aria-label*="Venue Chat"]').first();
    await container.waitFor({ timeout: 60_000 });
    await container.click();
    const welcome = page.getByText('No accounts yet');
    await welcome.first().waitFor({ timeout: 30_000 });
    check('the installed extension activates and shows its inbox', true);
    await page.screenshot({ path: join(repoRoot, 'test-results', 'vsix-installed.png') }).catch(() => {});
  } catch (err) {
    check('packaged extension', false, String(err.message ?? err).split('\n')[0]);
  } finally {
    await browser?.close().catch(() => {});
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const failed = checks.filter((ok) => !ok).length;
  return { passed: checks.length - failed, failed };
}
