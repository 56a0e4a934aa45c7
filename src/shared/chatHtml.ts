// The chat panel's HTML document. A pure function, used by the host (webview.html) and by the
// webview test tier, so the page under test is the page users get.
//
// CSP (docs/architecture.md, Trust boundaries): nothing loads unless listed. Scripts only by nonce.
// Styles from the extension (cspSource) plus nonce-carrying style elements: the UI toolkit (FAST)
// probes `:focus-visible` support by inserting an empty <style> and reads the nonce from <meta
// property="csp-nonce">; without it every load reports a violation and keyboard focus rings fall
// back to plain :focus. No 'unsafe-inline': injected <style> elements and style="" attributes stay
// blocked. Images from the extension, data:/blob: and the venues' media hosts; audio/video from the
// media hosts only; no network access (`connect-src 'none'`); no <base>, no form posts. Invalid
// media origins are left out of the policy rather than thrown on (the affected media then show as
// links); partitionMediaOrigins tells the host which ones to log.

export interface ChatPanelHtmlOptions {
  /** `webview.cspSource`. */
  readonly cspSource: string;
  /** Fresh per render: 16-128 base64/url-safe characters (e.g. randomBytes(16).toString('base64')). */
  readonly nonce: string;
  /** `webview.asWebviewUri(dist/webview.js)`. */
  readonly scriptUri: string;
  /** `webview.asWebviewUri(...)` of the style sheets, in cascade order (media/chat.css). */
  readonly styleUris: readonly string[];
  /** Origins media may load from: `http(s)://host[:port]`, host may start with `*.` (see normaliseMediaOrigin). */
  readonly mediaOrigins: readonly string[];
  /** Audio and video may also play from the extension's own resources (media a venue sent inline, saved by the host). */
  readonly localMedia?: boolean;
  readonly title: string;
  /** VS Code's display language (`vscode.env.language`): the page's `lang`; not a language tag → `en`. */
  readonly language?: string;
  /**
   * The display language's translations of the pane's texts (`vscode.l10n.bundle`), read by the
   * webview's @vscode/l10n before it renders (src/webview/l10nSetup.ts); none in English.
   */
  readonly l10nBundle?: Readonly<Record<string, string | { readonly message: string; readonly comment: readonly string[] }>>;
}

const NONCE = /^[A-Za-z0-9+/_=-]{16,128}$/;
const HOST = String.raw`(?:\*\.)?(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])`;
// A host source expression: nothing in it can end the directive or add a keyword.
const HOST_SOURCE = new RegExp(String.raw`^(?:[a-z][a-z0-9+.-]*://)?${HOST}(?::(?:\d{1,5}|\*))?(?:/[^\s;,'"]*)?$`, 'i');
const SCHEME_SOURCE = /^[a-z][a-z0-9+.-]*:$/i;
// VS Code's cspSource is "'self' https://*.vscode-cdn.net"; no other keyword may ride along.
const ALLOWED_KEYWORDS: ReadonlySet<string> = new Set(["'self'"]);
// Media origins: http(s)://host[:port], host optionally "*."-prefixed.
const MEDIA_ORIGIN = new RegExp(String.raw`^https?://${HOST}(?::\d{1,5})?$`, 'i');

/** A BCP 47 language tag as VS Code names display languages: `en`, `zh-cn`, `pt-br`, `qps-ploc`. */
const LANGUAGE_TAG = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/;

/** A page's `lang` for VS Code's display language (`vscode.env.language`): `en` when it is not a language tag. */
export function pageLanguage(language: string | undefined): string {
  return language !== undefined && LANGUAGE_TAG.test(language) ? language : 'en';
}

export function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * Reduces a configured media URL or origin to a CSP origin (`https://host[:port]`), or undefined
 * when it is not an http(s) origin.
 */
export function normaliseMediaOrigin(value: string): string | undefined {
  const trimmed = value.trim();
  if (MEDIA_ORIGIN.test(trimmed)) return trimmed.toLowerCase();
  try {
    const url = new URL(trimmed);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    return MEDIA_ORIGIN.test(url.origin) ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/** Splits media origins into those that can go into the CSP and those that cannot (for the host's log). */
export function partitionMediaOrigins(origins: readonly string[]): { readonly accepted: string[]; readonly rejected: string[] } {
  const accepted: string[] = [];
  const rejected: string[] = [];
  for (const origin of origins) {
    if (typeof origin === 'string' && MEDIA_ORIGIN.test(origin)) {
      if (!accepted.includes(origin)) accepted.push(origin);
    } else rejected.push(String(origin));
  }
  return { accepted, rejected };
}

function sourceList(name: string, value: string): string {
  const tokens = value.trim().split(/\s+/);
  for (const token of tokens) {
    if (!ALLOWED_KEYWORDS.has(token) && !HOST_SOURCE.test(token) && !SCHEME_SOURCE.test(token)) {
      throw new TypeError(`chatPanelHtml: ${name} is not a list of CSP sources: ${JSON.stringify(value)}`);
    }
  }
  return tokens.join(' ');
}

/**
 * The policy. Media origins that are not `http(s)://host[:port]` are left out (never spliced
 * into the policy); the affected images then show as links. Use partitionMediaOrigins to log them.
 */
export function contentSecurityPolicy(options: Pick<ChatPanelHtmlOptions, 'cspSource' | 'nonce' | 'mediaOrigins' | 'localMedia'>): string {
  if (!NONCE.test(options.nonce)) throw new TypeError('chatPanelHtml: the nonce must be 16-128 base64/url-safe characters');
  const source = sourceList('cspSource', options.cspSource);
  const media = partitionMediaOrigins(options.mediaOrigins).accepted;
  return [
    "default-src 'none'",
    `script-src 'nonce-${options.nonce}'`,
    `style-src ${source} 'nonce-${options.nonce}'`,
    `font-src ${source}`,
    `img-src ${[source, 'data:', 'blob:', ...media].join(' ')}`,
    `media-src ${[...(options.localMedia ? [source] : []), ...media].join(' ') || "'none'"}`,
    "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function chatPanelHtml(options: ChatPanelHtmlOptions): string {
  const csp = contentSecurityPolicy(options);
  const nonce = escapeHtml(options.nonce);
  const styles = options.styleUris.map((uri) => `    <link rel="stylesheet" href="${escapeHtml(uri)}">`).join('\n');
  const language = pageLanguage(options.language);
  const l10n = options.l10nBundle ? ` data-l10n="${escapeHtml(JSON.stringify(options.l10nBundle))}"` : '';
  return `<!DOCTYPE html>
<html lang="${language}">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
    <meta property="csp-nonce" content="${nonce}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles}
    <title>${escapeHtml(options.title)}</title>
  </head>
  <body>
    <div id="app" class="app"${l10n}></div>
    <script nonce="${nonce}" src="${escapeHtml(options.scriptUri)}"></script>
  </body>
</html>
`;
}
