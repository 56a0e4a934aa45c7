// Links in the timeline are never navigable anchors: they carry the vetted URL as inert data and a
// delegated click handler asks the host to open it (the host confirms with the user:
// docs/architecture.md, Trust boundaries).
import { appendRevealed } from '../bidiReveal';
import { el } from '../dom';
import { MAX_URL_LENGTH, parseHttpUrl } from '../safeUrl';

export const LINK_URL_ATTRIBUTE = 'data-link-url';

/** A keyboard-reachable link element for an already-vetted http(s) URL. */
export function linkElement(url: URL, label: string, className = 'link'): HTMLAnchorElement {
  // Link words can come from a counterparty: controls in them are revealed, the link is an isolate.
  const link = el('a', { className, attrs: { role: 'link', tabindex: '0', title: url.href, dir: 'auto' }, data: { linkUrl: url.href } });
  appendRevealed(link, label);
  return link;
}

/** Reads the URL back from a clicked link and vets it again (the DOM is not a trusted store). */
export function linkTargetOf(element: Element): URL | undefined {
  return parseHttpUrl(element.getAttribute(LINK_URL_ATTRIBUTE));
}

// Candidate URLs: scheme, then anything up to whitespace, quotes, angle brackets or invisible
// formatting characters (which are never part of a URL the user can see).
const URL_CANDIDATE = /\bhttps?:\/\/[^\s<>"'`\p{Cc}\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]+/giu;
const TRAILING_PUNCTUATION = /[.,;:!?'"»”’…]+$/;

function trimUrlCandidate(candidate: string): string {
  let url = candidate.replace(TRAILING_PUNCTUATION, '');
  // Drop an unbalanced closing bracket: "(see https://x.y/a)" should not swallow the ")".
  while (/[)\]}]$/.test(url)) {
    const close = url.slice(-1);
    const open = close === ')' ? '(' : close === ']' ? '[' : '{';
    if (url.split(open).length >= url.split(close).length) break;
    url = url.slice(0, -1).replace(TRAILING_PUNCTUATION, '');
  }
  return url;
}

/**
 * Appends `text` to `parent` as text nodes, with http(s) URLs as link elements and bidi controls
 * as visible tokens. Linear in the text length.
 */
export function appendLinkified(parent: Node, text: string): void {
  let last = 0;
  URL_CANDIDATE.lastIndex = 0;
  for (let match = URL_CANDIDATE.exec(text); match !== null; match = URL_CANDIDATE.exec(text)) {
    const candidate = trimUrlCandidate(match[0]);
    const url = candidate.length <= MAX_URL_LENGTH ? parseHttpUrl(candidate) : undefined;
    if (!url) continue;
    if (match.index > last) appendRevealed(parent, text.slice(last, match.index));
    // Show exactly what the sender wrote; open the parsed form.
    parent.appendChild(linkElement(url, candidate));
    last = match.index + candidate.length;
    URL_CANDIDATE.lastIndex = last;
  }
  if (last < text.length) appendRevealed(parent, text.slice(last));
}
