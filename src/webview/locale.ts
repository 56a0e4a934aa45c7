// Texts with counterparty content or elements inside, and the page's language for dates, times and
// numbers. The pane's texts go through @vscode/l10n (`l10n.t`, loaded by l10nSetup.ts); a message
// that holds an element (a sender's name in a bidi isolate, a styled label) is translated whole with
// `slot(n)` standing in for its placeholders, then `withNodes` puts the elements where the
// translation placed them, so no sentence is ever glued together from translated pieces.

// Private-use characters: neither a translation nor @vscode/l10n's formatting produces them.
const SLOT = /\uE000(\d+)\uE001/g;

/** Stands in for element `index` in the arguments of `l10n.t`; `withNodes` replaces it. */
export function slot(index: number): string {
  return `\uE000${index}\uE001`;
}

/**
 * The translated `text` as children for `el()`: its words as text (or as `wrapText(words)`, e.g. a
 * styled label span), each `slot(n)` as `parts[n]`. A part the translation left out is dropped.
 */
export function withNodes(text: string, parts: readonly (Node | string | readonly Node[])[], wrapText?: (words: string) => Node): (Node | string)[] {
  const out: (Node | string)[] = [];
  const words = (run: string): void => {
    if (run !== '') out.push(wrapText ? wrapText(run) : run);
  };
  let last = 0;
  for (const match of text.matchAll(SLOT)) {
    words(text.slice(last, match.index));
    const part = parts[Number(match[1])];
    if (Array.isArray(part)) out.push(...(part as readonly Node[]));
    else if (part !== undefined) out.push(part as Node | string);
    last = match.index + match[0].length;
  }
  words(text.slice(last));
  return out;
}

let cachedLocale: { readonly lang: string; readonly locale: string | undefined } | undefined;

/**
 * The page's language (`<html lang>`, VS Code's display language) as a locale for Intl, or
 * undefined (the browser's default) when there is none or Intl rejects it.
 */
export function pageLocale(): string | undefined {
  const lang = typeof document === 'undefined' ? '' : document.documentElement.lang;
  if (cachedLocale?.lang === lang) return cachedLocale.locale;
  let locale: string | undefined;
  try {
    locale = lang ? Intl.getCanonicalLocales(lang)[0] : undefined;
    // A well-formed tag Intl cannot use (it throws on some private tags) falls back too.
    if (locale) new Intl.NumberFormat(locale);
  } catch {
    locale = undefined;
  }
  cachedLocale = { lang, locale };
  return locale;
}

/** Number formats by locale and options: the composer's counter formats on every keystroke. */
const numberFormats = new Map<string, Intl.NumberFormat>();

/** A number in the page's language ("12,345" in English, "12.345" in German). */
export function formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
  const locale = pageLocale();
  const key = `${locale ?? ''}\u0000${options ? JSON.stringify(options) : ''}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    numberFormats.set(key, format);
  }
  return format.format(value);
}

/** A date and time in the page's language, in the local zone. */
export function formatDateTime(ms: number): string {
  return new Date(ms).toLocaleString(pageLocale());
}
