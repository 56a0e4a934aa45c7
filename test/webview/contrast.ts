// WCAG contrast of what the page really paints, measured in the page (pass `auditContrast` to
// page.evaluate; it is self-contained). Every visible text is compared with its effective
// background: the element's own background and its ancestors' (across shadow roots) composited
// from the first opaque one up. Colours are resolved by painting them on a canvas, so any CSS colour
// syntax (rgb(), color(srgb …) from color-mix, named colours) reads the same.

export interface TextContrast {
  /** A short description of the element: tag.class "text…". */
  readonly what: string;
  readonly ratio: number;
  readonly fg: string;
  readonly bg: string;
}

export interface SurfaceContrast {
  readonly what: string;
  /** The surface's background against the page background. */
  readonly ratio: number;
  /** Its border against the page background (0 without a visible border). */
  readonly borderRatio: number;
}

export interface ContrastAudit {
  readonly texts: TextContrast[];
  readonly surfaces: SurfaceContrast[];
}

/** Runs in the page. `surfaceSelectors`: elements whose background must stand apart from the page. */
export function auditContrast(surfaceSelectors: readonly string[]): ContrastAudit {
  type Rgba = [number, number, number, number];
  const canvas = document.createElement('canvas');
  canvas.width = 1;
  canvas.height = 1;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2d canvas');
  const parse = (css: string): Rgba => {
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = '#000';
    ctx.fillStyle = css;
    ctx.fillRect(0, 0, 1, 1);
    const [r = 0, g = 0, b = 0, a = 0] = ctx.getImageData(0, 0, 1, 1).data;
    return [r, g, b, a / 255];
  };
  const over = (top: Rgba, below: Rgba): Rgba => {
    const a = top[3];
    return [top[0] * a + below[0] * (1 - a), top[1] * a + below[1] * (1 - a), top[2] * a + below[2] * (1 - a), 1];
  };
  const channel = (v: number): number => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = (c: Rgba): number => 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2]);
  const ratio = (a: Rgba, b: Rgba): number => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
    return (hi + 0.05) / (lo + 0.05);
  };
  const hex = (c: Rgba): string => `rgb(${c.slice(0, 3).map((v) => Math.round(v)).join(',')})`;
  const parentOf = (node: Element): Element | null => node.parentElement ?? ((node.getRootNode() as ShadowRoot).host ?? null);

  /** The background painted behind `start`: its own and its ancestors', composited. */
  const backgroundOf = (start: Element): Rgba => {
    const layers: Rgba[] = [];
    for (let node: Element | null = start; node; node = parentOf(node)) {
      const color = parse(getComputedStyle(node).backgroundColor);
      if (color[3] > 0) layers.push(color);
      if (color[3] >= 1) break;
    }
    let result: Rgba = [255, 255, 255, 1]; // the canvas behind everything
    for (const layer of layers.reverse()) result = over(layer, result);
    return result;
  };
  const opacityOf = (start: Element): number => {
    let opacity = 1;
    for (let node: Element | null = start; node; node = parentOf(node)) opacity *= Number(getComputedStyle(node).opacity);
    return opacity;
  };
  const inactive = (element: Element): boolean => {
    for (let node: Element | null = element; node; node = parentOf(node)) {
      if (node.hasAttribute('disabled') || node.getAttribute('aria-disabled') === 'true') return true;
    }
    return false;
  };
  const describe = (element: Element, text: string): string => {
    const cls = typeof element.className === 'string' && element.className ? `.${element.className.trim().split(/\s+/).join('.')}` : '';
    return `${element.tagName.toLowerCase()}${cls} "${text.trim().slice(0, 40)}"`;
  };
  const measure = (element: Element, color: string, text: string): TextContrast => {
    const bg = backgroundOf(element);
    const fg = parse(color);
    const painted = over([fg[0], fg[1], fg[2], fg[3] * opacityOf(element)], bg);
    return { what: describe(element, text), ratio: ratio(painted, bg), fg: hex(painted), bg: hex(bg) };
  };

  /** Inside a box of at most 1px that clips its content (the screen-reader-only pattern). */
  const clippedAway = (element: Element): boolean => {
    for (let node: Element | null = element; node; node = parentOf(node)) {
      const style = getComputedStyle(node);
      const rect = node.getBoundingClientRect();
      if ((style.overflow !== 'visible' || style.clip !== 'auto') && (rect.width <= 1 || rect.height <= 1)) return true;
    }
    return false;
  };

  const texts: TextContrast[] = [];
  const visit = (root: Node): void => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node instanceof Element) {
        if (node.shadowRoot) visit(node.shadowRoot);
        // A text box's value and placeholder are text too, but no text nodes.
        if ((node instanceof HTMLTextAreaElement || node instanceof HTMLInputElement) && node.checkVisibility() && !inactive(node)) {
          if (node.value !== '') texts.push(measure(node, getComputedStyle(node).color, node.value));
          else if (node.placeholder) texts.push(measure(node, getComputedStyle(node, '::placeholder').color, `placeholder: ${node.placeholder}`));
        }
        continue;
      }
      const text = node.textContent ?? '';
      const element = node.parentElement;
      if (!element || !/\S/.test(text) || ['STYLE', 'SCRIPT', 'TITLE'].includes(element.tagName)) continue;
      if (!element.checkVisibility({ checkVisibilityCSS: true }) || inactive(element)) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const box = range.getBoundingClientRect();
      // Clipped to nothing (screen-reader-only text) is not visible text.
      if (box.width <= 1 || box.height <= 1 || clippedAway(element)) continue;
      texts.push(measure(element, getComputedStyle(element).color, text));
    }
  };
  visit(document.body);

  const page = backgroundOf(document.body);
  const surfaces: SurfaceContrast[] = [];
  for (const selector of surfaceSelectors) {
    for (const element of document.querySelectorAll(selector)) {
      const style = getComputedStyle(element);
      const border = parse(style.borderTopColor);
      const width = parseFloat(style.borderTopWidth);
      const borderRatio = width >= 1 && border[3] > 0 && style.borderTopStyle !== 'none' ? ratio(over(border, page), page) : 0;
      surfaces.push({ what: `${selector} ${describe(element, element.textContent ?? '')}`, ratio: ratio(backgroundOf(element), page), borderRatio });
    }
  }
  return { texts, surfaces };
}
