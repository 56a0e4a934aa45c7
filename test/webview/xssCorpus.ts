// The XSS corpus the webview tests run through every counterparty-controlled field, and the audit
// of the page after it: nothing ran, no element or attribute came from the data, pictures only
// from http(s) (or, where a venue sends one, an inline raster thumbnail).
import * as assert from 'node:assert/strict';
import { splitBidiControls } from '../../src/shared/bidiControls';
import type { ChatPage } from './harness';
import { FAMILIES } from './xssFamilies';

/** What the pane shows for counterparty text: the text itself, each bidi control as its token ("RLO"). */
export function asShown(text: string | undefined): string | undefined {
  return text === undefined ? undefined : splitBidiControls(text).map((s) => ('control' in s ? s.control.abbr : s.text)).join('');
}

/** Hostile text: markup, script, style, template syntax, entities, bidi and zero-width tricks. */
export const PAYLOADS = [
  '<img src=x onerror="window.__xss=1">',
  '<script>window.__xss=1</script>',
  '"><img src=x onerror=window.__xss=1>',
  "'><svg onload=window.__xss=1>",
  '</div></div></div><img src=x onerror=window.__xss=1><div>',
  '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
  '<a href="javascript:window.__xss=1">click me</a>',
  'javascript:window.__xss=1',
  'data:text/html,<script>window.__xss=1</script>',
  '<style>*{display:none!important}</style>',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>',
  '<details open ontoggle=window.__xss=1>',
  '${window.__xss=1}{{constructor.constructor("window.__xss=1")()}}',
  '&lt;b&gt;entity&lt;/b&gt; &amp; <b>bold</b>',
  '\u202Etxt.exe \u202Dspoof\u2066iso\u2069',
  'zero\u200Bwidth\u200C\u200D\uFEFFjoiner',
  'مرحبا <b>RTL</b> עברית',
];

/** Hostile URLs: script schemes in every spelling, data: documents, quote breakouts. */
export const URL_PAYLOADS = [
  'javascript:window.__xss=1',
  'JaVaScRiPt:window.__xss=1',
  ' javascript:window.__xss=1',
  'java\tscript:window.__xss=1',
  'data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==',
  'data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg" onload="window.__xss=1"/>',
  'vbscript:msgbox(1)',
  'https://ok.example/"><img src=x onerror=window.__xss=1>',
  "https://ok.example/'onerror='window.__xss=1",
];

/**
 * Markdown tricks (with PAYLOADS): script and data: links and images, reference links, autolinks,
 * raw HTML blocks, tables, deep nesting; the last one keeps bidi controls inside list items.
 */
export const MARKDOWN_PAYLOADS = [
  '[click](javascript:window.__xss=1)',
  '[click](JAVASCRIPT:window.__xss=1)',
  '[click](data:text/html,<script>window.__xss=1</script>)',
  '[click](vbscript:msgbox(1))',
  '![x](javascript:window.__xss=1)',
  '![x](data:image/svg+xml,<svg onload=window.__xss=1>)',
  '![x](https://tracker.example/pixel.png "title")',
  '<javascript:window.__xss=1>',
  '<https://ok.example/"onmouseover="window.__xss=1>',
  '[ref]\n\n[ref]: javascript:window.__xss=1',
  '[a](https://ok.example/ "\\" onclick=\\"window.__xss=1")',
  '<div onclick="window.__xss=1">block html</div>\n\n<script>window.__xss=1</script>',
  '```html\n<script>window.__xss=1</script>\n```',
  '| <img src=x onerror=window.__xss=1> |\n|---|\n| <svg onload=window.__xss=1> |',
  '> <iframe src="javascript:window.__xss=1"></iframe>',
  '*'.repeat(5000),
  '['.repeat(2000) + 'x' + ']'.repeat(2000),
  '> '.repeat(500) + 'deep',
  '![x](data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=)',
  '<data:text/html,<script>window.__xss=1</script>>',
  '[img]\n\n![ref][img]\n\n[img]: data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==',
  '<img src=x onerror=window.__xss=1>\n\n<p>para</p>\n\n<!-- comment --><style>*{color:red}</style>',
  '1. \u202Eevil\n2. ١٢٣ 456 \u2067IBAN\u2069',
];

/**
 * The whole corpus: every family of xssFamilies.ts and the lists above, each payload once (issue
 * 12 asks for at least 200). The venue tests (venueXss.test.ts) put each one in every field a
 * counterparty controls.
 */
export const CORPUS: readonly string[] = [...new Set([...Object.values(FAMILIES).flat(), ...PAYLOADS, ...URL_PAYLOADS, ...MARKDOWN_PAYLOADS])];

/** Payloads meant for URL fields (media links, thumbnails, card actions), with the URL tricks of every other family. */
export const URL_CORPUS: readonly string[] = [...new Set([...FAMILIES.schemeUrls, ...URL_PAYLOADS])];

const DANGEROUS_TAGS = 'script, iframe, object, embed, style, link, meta, base, form, math, details, template, frame, frameset, a[href], [src^="javascript" i], [src^="data" i]';

export interface DomAudit {
  readonly xss: unknown;
  readonly dangerous: string[];
  readonly eventAttributes: string[];
  readonly foreignSvg: number;
  readonly images: string[];
  /** Pictures whose source is an inline base64 raster thumbnail (PNG, JPEG, GIF, WebP), and nothing else. */
  readonly inlineImages: number;
}

/** The base64 raster thumbnails the pane may show inline (safeUrl.ts parseInlineImage). */
const INLINE_IMAGE_SOURCE = String.raw`^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+={0,2}$`;

export async function audit(chat: ChatPage): Promise<DomAudit> {
  return chat.page.evaluate(
    ({ dangerousSelector, inlineSource }) => {
      const app = document.getElementById('app') as HTMLElement;
      const all = [...app.querySelectorAll('*')];
      const inline = new RegExp(inlineSource);
      const isInlineImage = (e: Element): boolean => e.tagName === 'IMG' && inline.test(e.getAttribute('src') ?? '') && [...e.attributes].every((a) => a.name !== 'srcset');
      return {
        xss: (window as unknown as { __xss?: unknown }).__xss,
        dangerous: [...app.querySelectorAll(dangerousSelector)].filter((e) => !isInlineImage(e)).map((e) => e.outerHTML.slice(0, 120)),
        eventAttributes: all.flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${e.tagName}.${a.name}`)),
        // Our icons are the only SVG; anything else came from data.
        foreignSvg: [...app.querySelectorAll('svg')].filter((s) => !s.classList.contains('icon')).length,
        images: [...app.querySelectorAll('img')].filter((i) => !isInlineImage(i)).map((i) => i.getAttribute('src') ?? ''),
        inlineImages: [...app.querySelectorAll('img')].filter(isInlineImage).length,
      };
    },
    { dangerousSelector: DANGEROUS_TAGS, inlineSource: INLINE_IMAGE_SOURCE },
  );
}

/** `inlineImages`: how many inline thumbnails the page may show (the venue sent them); default none. */
export function assertClean(result: DomAudit, inlineImages = 0): void {
  assert.equal(result.xss, undefined, 'no payload executed');
  assert.deepEqual(result.dangerous, [], 'no dangerous element was created from data');
  assert.deepEqual(result.eventAttributes, [], 'no element carries an event-handler attribute');
  assert.equal(result.foreignSvg, 0, 'no SVG was created from data');
  for (const src of result.images) assert.match(src, /^https?:\/\//, 'images only from http(s) URLs');
  assert.equal(result.inlineImages, inlineImages, 'inline thumbnails only where the venue sent one');
}
