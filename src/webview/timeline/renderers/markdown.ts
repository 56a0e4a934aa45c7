// Markdown posts (Mixin PLAIN_POST). markdown-it parses with raw HTML off; its token stream is
// built into DOM nodes here through `el()` and text nodes, never through innerHTML, so no token
// can become markup. Only the token types below make elements; anything else shows as its text.
// Links open through the host like every link; images are never loaded from the post (their
// origin is the sender's choice) but offered as links. Each block is a bidi isolate, as the plain
// text renderer's block is.
import * as l10n from '@vscode/l10n';
import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';
import { appendRevealed } from '../../bidiReveal';
import { el } from '../../dom';
import { parseHttpUrl } from '../../safeUrl';
import { linkElement } from '../links';
import { attachmentsBlock } from './media';
import { COLLAPSED_TEXT_LENGTH, textBlock } from './textBlock';
import type { MessageRenderer } from './types';

const markdown = new MarkdownIt('default', { html: false, linkify: true, typographer: false, breaks: true });

/** Longer posts show as plain text (collapsed): formatting a book-length post is not worth the time. */
export const MAX_FORMATTED_LENGTH = COLLAPSED_TEXT_LENGTH * 5;

/** Block and inline containers a token may open, by token type (never by the token's own tag). */
const CONTAINERS: Readonly<Record<string, { readonly tag: keyof HTMLElementTagNameMap; readonly isolate?: true }>> = {
  paragraph_open: { tag: 'p', isolate: true },
  bullet_list_open: { tag: 'ul' },
  ordered_list_open: { tag: 'ol' },
  list_item_open: { tag: 'li', isolate: true },
  blockquote_open: { tag: 'blockquote', isolate: true },
  table_open: { tag: 'table' },
  thead_open: { tag: 'thead' },
  tbody_open: { tag: 'tbody' },
  tr_open: { tag: 'tr' },
  th_open: { tag: 'th', isolate: true },
  td_open: { tag: 'td', isolate: true },
  em_open: { tag: 'em' },
  strong_open: { tag: 'strong' },
  s_open: { tag: 's' },
};

interface Frame {
  readonly element: HTMLElement;
  /** Runs when the container closes (a link adds its destination's host). */
  readonly onClose?: (element: HTMLElement) => void;
}

class DomBuilder {
  private readonly stack: Frame[];

  constructor(root: HTMLElement) {
    this.stack = [{ element: root }];
  }

  private get top(): HTMLElement {
    return (this.stack[this.stack.length - 1] as Frame).element;
  }

  private open(element: HTMLElement, onClose?: (element: HTMLElement) => void): void {
    this.top.append(element);
    this.stack.push({ element, onClose });
  }

  private close(): void {
    // The root never closes, whatever the token stream says.
    if (this.stack.length <= 1) return;
    const frame = this.stack.pop() as Frame;
    frame.onClose?.(frame.element);
  }

  /** A hidden paragraph (tight list item) opens nothing but must still balance its close. */
  private openTransparent(): void {
    this.stack.push({ element: this.top });
  }

  build(tokens: readonly Token[]): void {
    for (const token of tokens) this.token(token);
  }

  private token(token: Token): void {
    const container = CONTAINERS[token.type];
    if (container) {
      if (token.hidden) return this.openTransparent();
      const element = el(container.tag, { className: `md-${container.tag}`, attrs: container.isolate ? { dir: 'auto' } : {} });
      if (token.type === 'ordered_list_open') {
        const start = Number(token.attrGet('start') ?? '1');
        if (Number.isSafeInteger(start) && start >= 0 && start < 1e9) (element as HTMLOListElement).start = start;
      }
      return this.open(element);
    }
    if (token.nesting === -1) return this.close();
    switch (token.type) {
      case 'heading_open': {
        // Headings in a chat bubble are emphasis, not document structure.
        const level = /^h([1-6])$/.exec(token.tag)?.[1] ?? '6';
        return this.open(el('p', { className: `md-heading md-heading--${level}`, attrs: { dir: 'auto' } }));
      }
      case 'link_open':
        return this.openLink(token.attrGet('href') ?? '');
      case 'inline':
        return this.build(token.children ?? []);
      case 'text':
        return void appendRevealed(this.top, token.content);
      case 'softbreak':
      case 'hardbreak':
        return void this.top.append(el('br'));
      case 'code_inline':
        return void this.top.append(revealedCode(token.content, 'md-code'));
      case 'code_block':
      case 'fence':
        return void this.top.append(el('pre', { className: 'md-pre', attrs: { dir: 'ltr' } }, [revealedCode(token.content)]));
      case 'hr':
        return void this.top.append(el('hr', { className: 'md-hr' }));
      case 'image':
        return this.image(token);
      default:
        // html_inline/html_block cannot occur with html off; whatever else appears is shown as text.
        if (token.content) appendRevealed(this.top, token.content);
    }
  }

  private openLink(href: string): void {
    const url = parseHttpUrl(href);
    if (!url) {
      // mailto:, app schemes...: the words stay, nothing opens.
      return this.open(el('span', { className: 'md-link--inert', attrs: { title: href.slice(0, 2048) } }));
    }
    this.open(linkElement(url, '', 'link md-link'), (element) => {
      // "[https://bank.example](https://evil.example)": when the words are not the address, say where it goes.
      const words = (element.textContent ?? '').trim();
      const shown = parseHttpUrl(words) ?? parseHttpUrl(`http://${words}`);
      if (shown?.host !== url.host) {
        element.after(el('span', { className: 'md-link__host', text: ` (${url.host})` }));
      }
    });
  }

  private image(token: Token): void {
    const alt = (token.children ?? []).map((child) => child.content).join('') || l10n.t({ message: 'image', comment: ['A picture in a post with no description, after "Image:"'] });
    const url = parseHttpUrl(token.attrGet('src'));
    if (url) this.top.append(linkElement(url, l10n.t({ message: 'Image: {0}', args: [alt], comment: ['A picture in a post, offered as a link: {0} is its description'] }), 'link md-image-link'));
    else appendRevealed(this.top, l10n.t({ message: '[Image: {0}]', args: [alt], comment: ['A picture in a post that cannot be opened: {0} is its description'] }));
  }
}

/** The formatted form of `source`, as DOM nodes. */
export function markdownElement(source: string): HTMLElement {
  const root = el('div', { className: 'markdown', attrs: { dir: 'auto' } });
  new DomBuilder(root).build(markdown.parse(source, {}));
  return root;
}

export const renderMarkdown: MessageRenderer = (message) => {
  const text = message.text ?? '';
  if (text.length > MAX_FORMATTED_LENGTH) {
    return el('div', { className: 'content content--markdown', attrs: { title: l10n.t('Long formatted text, shown as plain text') } }, [
      textBlock(text),
      attachmentsBlock(message.attachments),
    ]);
  }
  return el('div', { className: 'content content--markdown' }, [markdownElement(text), attachmentsBlock(message.attachments)]);
};

function revealedCode(source: string, className?: string): HTMLElement {
  const code = el('code', { className });
  appendRevealed(code, source);
  return code;
}
