#!/usr/bin/env node
// Renders the marketplace icon, media/icon.png (256×256), from media/venue-chat.svg: the
// marketplace and `vsce` refuse SVG icons, and the activity bar's SVG is a monochrome
// `currentColor` glyph that would vanish on a dark page, so it is drawn white on a coloured tile.
// Run again after changing the SVG: `node scripts/renderIcon.mjs`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './lib/hosts.mjs';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const SIZE = 256;
const svg = readFileSync(join(root, 'media', 'venue-chat.svg'), 'utf8');
const html = `<!doctype html><html><body style="margin:0;background:transparent">
<div style="width:${SIZE}px;height:${SIZE}px;border-radius:48px;background:#1f6feb;color:#fff;display:flex;align-items:center;justify-content:center">
  <div style="width:184px;height:184px">${svg.replace('<svg ', '<svg style="width:100%;height:100%" ')}</div>
</div></body></html>`;

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS, '--headless'] });
try {
  const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE }, deviceScaleFactor: 1 });
  await page.setContent(html);
  // omitBackground keeps the tile's rounded corners transparent.
  await page.screenshot({ path: join(root, 'media', 'icon.png'), omitBackground: true, clip: { x: 0, y: 0, width: SIZE, height: SIZE } });
} finally {
  await browser.close();
}
console.log('wrote media/icon.png');
