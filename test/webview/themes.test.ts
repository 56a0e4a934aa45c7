import * as assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { ChatMessage } from '../../src/shared/model';
import { auditContrast, type ContrastAudit } from './contrast';
import { MINUTE, T0, message } from './fixtures';
import { REPO_ROOT } from './harness';
import { webviewSuite } from './suite';
import { THEMES } from './themes';

const SCREENSHOTS = path.join(REPO_ROOT, 'test-results', 'themes');
const BOX = 'vscode-text-area textarea';
const BUBBLES = ['.msg--in .bubble', '.msg--out .bubble'];
const TEXT_MIN = 4.5;
const SURFACE_MIN = 1.2;
const BORDER_MIN = 3;

/** A timeline with every kind of row whose colours differ: incoming, outgoing, system, gap, failed. */
const TIMELINE: ChatMessage[] = [
  message({ id: 't1', time: T0, text: 'Hi, I sent the payment to your bank account https://bank.example/receipt/42' }),
  message({ id: 't2', time: T0 + MINUTE, direction: 'out', status: 'read', clientMessageId: 'client-t2-aaaa', senderName: undefined, text: 'Thanks, checking now.' }),
  message({ id: 't3', time: T0 + 2 * MINUTE, direction: 'system', kind: 'system', senderName: undefined, text: 'The buyer marked the order as paid.', payload: { type: 'system', event: 'paid', orderId: '42', state: 'PAID' } }),
  message({ id: 't4', time: T0 + 3 * MINUTE, direction: 'system', kind: 'gap', senderName: undefined, text: undefined, gap: { from: T0 + 2 * MINUTE + 5_000, to: T0 + 2 * MINUTE + 40_000 } }),
  message({ id: 't5', time: T0 + 4 * MINUTE, text: 'Did it arrive? Reference \u202Eexe.fdp' }),
  message({ id: 't6', time: T0 + 5 * MINUTE, direction: 'out', status: 'failed', failure: 'the venue rejected the message', clientMessageId: 'client-t6-bbbb', senderName: undefined, text: 'Released, thank you!' }),
];

function failures(audit: ContrastAudit): string[] {
  const out: string[] = [];
  for (const t of audit.texts) if (t.ratio < TEXT_MIN) out.push(`text ${t.what}: ${t.ratio.toFixed(2)}:1 (${t.fg} on ${t.bg})`);
  for (const s of audit.surfaces) {
    if (s.ratio < SURFACE_MIN && s.borderRatio < BORDER_MIN) out.push(`surface ${s.what}: ${s.ratio.toFixed(2)}:1 against the page, border ${s.borderRatio.toFixed(2)}:1`);
  }
  return out;
}

function lowest(audit: ContrastAudit, fragment: string): number {
  const ratios = audit.texts.filter((t) => t.what.includes(fragment)).map((t) => t.ratio);
  assert.ok(ratios.length > 0, `no visible text matching ${fragment}`);
  return Math.min(...ratios);
}

describe('webview themes', () => {
  const suite = webviewSuite();

  for (const theme of THEMES) {
    it(`${theme.label}: every text reads at 4.5:1 or more and the bubbles stand apart from the page`, async () => {
      const chat = await suite.openWith({ messages: TIMELINE }, { theme, viewport: { width: 900, height: 900 } });
      await chat.page.waitForSelector('.content--gap');
      await chat.frames(3);
      assert.equal(await chat.page.evaluate(() => document.body.dataset.vscodeThemeKind), theme.kind);

      // Empty composer: the placeholder is text too (Send is disabled, so exempt).
      const empty = await chat.page.evaluate(auditContrast, BUBBLES);
      await chat.page.locator(BOX).fill('Payment received, releasing now');
      await chat.frames(2);
      const typed = await chat.page.evaluate(auditContrast, BUBBLES);

      await mkdir(SCREENSHOTS, { recursive: true });
      await chat.page.screenshot({ path: path.join(SCREENSHOTS, `${theme.id}.png`) });
      const summary = {
        theme: theme.label,
        incomingBubble: typed.surfaces.find((s) => s.what.startsWith('.msg--in'))?.ratio,
        outgoingBubble: typed.surfaces.find((s) => s.what.startsWith('.msg--out'))?.ratio,
        gapText: lowest(typed, 'gap__text'),
        lowestText: Math.min(...typed.texts.map((t) => t.ratio)),
        texts: typed.texts.length,
      };
      await writeFile(path.join(SCREENSHOTS, `${theme.id}.json`), JSON.stringify({ summary, audit: typed }, null, 2));

      assert.ok(typed.surfaces.length >= 4, 'incoming and outgoing bubbles were measured');
      assert.ok(typed.texts.some((t) => t.what.includes('composer__send') || t.what.startsWith('vscode-button')), 'the Send button label was measured');
      assert.ok(empty.texts.some((t) => t.what.includes('placeholder')), 'the composer placeholder was measured');
      for (const fragment of ['gap__text', 'failure__text', 'sender', 'time', 'system-text', 'bidi-control', 'link']) lowest(typed, fragment);
      assert.deepEqual([...failures(empty), ...failures(typed)], [], `${theme.label}: contrast failures`);
    });
  }

  it('the theme fixtures list every VS Code variable chat.css uses', async () => {
    const css = await readFile(path.join(REPO_ROOT, 'media', 'chat.css'), 'utf8');
    const used = [...new Set(css.match(/--vscode-[A-Za-z0-9.-]+/g) ?? [])];
    assert.ok(used.length > 10);
    for (const theme of THEMES) {
      const missing = used.filter((name) => !(name in theme.colors) && !name.includes('font'));
      assert.deepEqual(missing, [], `${theme.label} has no value (or null) for these variables`);
    }
  });
});
