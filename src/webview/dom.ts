// The one DOM builder the webview uses. Text goes in through `textContent` only and attributes
// are limited to names that can never carry script or a URL, so untrusted message data can be
// passed to `el()` without escaping. URL-bearing attributes (`src`) are set in exactly one place,
// timeline/renderers/media.ts, after `parseHttpUrl` (or `parseInlineImage`) has accepted the value.

/** Attributes that are safe for arbitrary (untrusted) string values. */
export type SafeAttribute =
  | 'title'
  | 'role'
  | 'alt'
  | 'dir'
  | 'lang'
  | 'tabindex'
  | 'id'
  | 'for'
  | 'type'
  | 'name'
  | 'placeholder'
  | 'autocomplete'
  | 'spellcheck'
  | 'hidden'
  | 'datetime'
  | 'aria-label'
  | 'aria-live'
  | 'aria-atomic'
  | 'aria-hidden'
  | 'aria-busy'
  | 'aria-invalid'
  | 'aria-describedby'
  | 'aria-controls'
  | 'aria-expanded'
  | 'aria-relevant'
  | 'aria-disabled'
  | 'max'
  | 'value';

export interface ElementOptions {
  readonly className?: string;
  readonly text?: string;
  readonly attrs?: Partial<Record<SafeAttribute, string>>;
  /** Written as `data-*` attributes (values are inert text). */
  readonly data?: Readonly<Record<string, string>>;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: ElementOptions = {},
  children: readonly (Node | string | null | undefined | false)[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (options.className) node.className = options.className;
  if (options.text !== undefined) node.textContent = options.text;
  if (options.attrs) {
    for (const [name, value] of Object.entries(options.attrs)) {
      if (value !== undefined) node.setAttribute(name, value);
    }
  }
  if (options.data) {
    for (const [name, value] of Object.entries(options.data)) node.dataset[name] = value;
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child);
  }
  return node;
}

/** Text shown only to assistive technology. */
export function srOnly(text: string): HTMLSpanElement {
  return el('span', { className: 'sr-only', text });
}

export function replaceChildren(parent: Element, ...children: (Node | string)[]): void {
  parent.replaceChildren(...children);
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** A decorative inline SVG icon from constant path data (never from message data). */
export function svgIcon(className: string, paths: readonly string[], viewBox = '0 0 16 16'): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', viewBox);
  svg.setAttribute('class', `icon ${className}`);
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const d of paths) {
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}
