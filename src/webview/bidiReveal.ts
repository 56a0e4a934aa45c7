// Counterparty text in the pane: every bidirectional control character is taken out of the text
// and shown as a small marked token ("RLO", with a tooltip), and the text sits in a bidi isolate,
// so nothing a counterparty writes can reorder what it shows or what surrounds it
// (docs/architecture.md, Trust boundaries).
import { bidiControlTitle, splitBidiControls, type BidiControl } from '../shared/bidiControls';
import { el } from './dom';

function controlToken(control: BidiControl): HTMLElement {
  // The token is its own left-to-right isolate, so it reads "RLO" wherever it stands.
  return el('span', { className: 'bidi-control', text: control.abbr, attrs: { dir: 'ltr', title: bidiControlTitle(control), role: 'img', 'aria-label': bidiControlTitle(control) } });
}

/** Appends `text` to `parent`: runs as text nodes, each bidi control as a visible token. */
export function appendRevealed(parent: Node, text: string): void {
  for (const segment of splitBidiControls(text)) {
    parent.appendChild('control' in segment ? controlToken(segment.control) : document.createTextNode(segment.text));
  }
}

/**
 * Untrusted text as an isolated element (`<bdi>` by default: its own direction, `unicode-bidi:
 * isolate`), controls revealed. The plain `title` keeps the text readable on hover.
 */
export function untrustedText(text: string, className?: string, tag: 'bdi' | 'div' | 'span' = 'bdi'): HTMLElement {
  const node = el(tag, { className: className ? `untrusted ${className}` : 'untrusted', attrs: { dir: 'auto' } });
  appendRevealed(node, text);
  return node;
}

/** `text` as child nodes for `el()`: runs as text, controls as tokens. Put them in an element with `dir="auto"`. */
export function revealed(text: string): Node[] {
  const fragment = document.createDocumentFragment();
  appendRevealed(fragment, text);
  return [...fragment.childNodes];
}
