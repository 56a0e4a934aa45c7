// Message text: literal, linkified, direction-isolated, and collapsed when very long so one
// 200 KB message cannot make the timeline unusable.
import * as l10n from '@vscode/l10n';
import { formatNumber } from '../../locale';
import { el } from '../../dom';
import { createButton } from '../../ui';
import { appendLinkified } from '../links';

/** Longer texts show this many characters until the reader asks for the rest. */
export const COLLAPSED_TEXT_LENGTH = 4000;
export const EXPAND_TEXT_ACTION = 'expand-text';

const fullTextOf = new WeakMap<HTMLElement, string>();

function cutAt(text: string, length: number): string {
  let cut = text.slice(0, length);
  // Do not split a surrogate pair.
  const lastCode = cut.charCodeAt(cut.length - 1);
  if (lastCode >= 0xd800 && lastCode <= 0xdbff) cut = cut.slice(0, -1);
  return cut;
}

/**
 * `dir="auto"` makes the block a bidi isolate: right-to-left text and stray override characters
 * stay inside it and cannot reorder the sender name, time or buttons around it.
 */
export function textBlock(text: string, className = 'text'): HTMLElement {
  const block = el('div', { className, attrs: { dir: 'auto' } });
  if (text.length <= COLLAPSED_TEXT_LENGTH) {
    appendLinkified(block, text);
    return block;
  }
  const body = el('span', { className: 'text__body' });
  appendLinkified(body, cutAt(text, COLLAPSED_TEXT_LENGTH));
  body.append('…');
  fullTextOf.set(block, text);
  const more = createButton({
    label: l10n.t({ message: 'Show all ({0} characters)', args: [formatNumber(text.length)], comment: ['A button under a long message cut short'] }),
    appearance: 'secondary',
    className: 'text__expand',
    data: { action: EXPAND_TEXT_ACTION },
  });
  block.append(body, el('div', { className: 'text__more' }, [more]));
  block.classList.add('text--collapsed');
  return block;
}

/** Handles a click on a "Show all" button inside a collapsed text block. */
export function expandText(button: Element): void {
  const block = button.closest<HTMLElement>('.text--collapsed');
  if (!block) return;
  const text = fullTextOf.get(block);
  if (text === undefined) return;
  fullTextOf.delete(block);
  block.classList.remove('text--collapsed');
  block.replaceChildren();
  appendLinkified(block, text);
}

/** Shows every collapsed text under `root` in full (a row rebuilt after the reader chose "Show all"). */
export function expandAllTexts(root: HTMLElement): void {
  for (const button of root.querySelectorAll('.text--collapsed .text__expand')) expandText(button);
}
