// Bidirectional control characters in untrusted text. A counterparty can hide them in a message,
// a file name or a name so that "\u202Eexe.fdp" reads "pdf.exe", or the digits of an amount or an
// IBAN appear in another order. Every surface showing counterparty text reveals them: the pane as a
// marked token (webview/bidiReveal.ts), plain-string surfaces (tree labels, tooltips, titles) with
// `revealBidiControls`.
import * as l10n from '@vscode/l10n';

export interface BidiControl {
  /** The character itself. */
  readonly char: string;
  /** Short Unicode abbreviation, e.g. "RLO". */
  readonly abbr: string;
  /** What it does, in words: "right-to-left override". */
  readonly name: string;
}

const CONTROLS: readonly BidiControl[] = [
  { char: '\u061C', abbr: 'ALM', name: 'Arabic letter mark' },
  { char: '\u200E', abbr: 'LRM', name: 'left-to-right mark' },
  { char: '\u200F', abbr: 'RLM', name: 'right-to-left mark' },
  { char: '\u202A', abbr: 'LRE', name: 'left-to-right embedding' },
  { char: '\u202B', abbr: 'RLE', name: 'right-to-left embedding' },
  { char: '\u202C', abbr: 'PDF', name: 'pop directional formatting' },
  { char: '\u202D', abbr: 'LRO', name: 'left-to-right override' },
  { char: '\u202E', abbr: 'RLO', name: 'right-to-left override' },
  { char: '\u2066', abbr: 'LRI', name: 'left-to-right isolate' },
  { char: '\u2067', abbr: 'RLI', name: 'right-to-left isolate' },
  { char: '\u2068', abbr: 'FSI', name: 'first strong isolate' },
  { char: '\u2069', abbr: 'PDI', name: 'pop directional isolate' },
];

const BY_CHAR: ReadonlyMap<string, BidiControl> = new Map(CONTROLS.map((c) => [c.char, c]));

/** Every bidi control character (a character class; no flags, so it carries no lastIndex state). */
export const BIDI_CONTROL_CLASS = '[\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069]';
const ANY = new RegExp(BIDI_CONTROL_CLASS);
const ALL = new RegExp(BIDI_CONTROL_CLASS, 'g');

/** The control `char` is, or undefined for any other character. */
export function bidiControlOf(char: string): BidiControl | undefined {
  return BY_CHAR.get(char);
}

export function hasBidiControls(text: string): boolean {
  return ANY.test(text);
}

/** Text runs and the controls between them, in order; runs are never empty. */
export type BidiSegment = { readonly text: string } | { readonly control: BidiControl };

export function splitBidiControls(text: string): BidiSegment[] {
  const segments: BidiSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(ALL)) {
    const control = BY_CHAR.get(match[0]);
    if (!control) continue;
    if (match.index > last) segments.push({ text: text.slice(last, match.index) });
    segments.push({ control });
    last = match.index + match[0].length;
  }
  if (last < text.length) segments.push({ text: text.slice(last) });
  return segments;
}

/** For plain-string surfaces: each control becomes a visible marker such as "⟨RLO⟩", so it can reorder nothing. */
export function revealBidiControls(text: string): string {
  return hasBidiControls(text) ? text.replace(ALL, (char) => `⟨${BY_CHAR.get(char)?.abbr ?? '?'}⟩`) : text;
}

/** What a control does, in the display language ("right-to-left override"). */
function controlName(control: BidiControl): string {
  switch (control.abbr) {
    case 'ALM':
      return l10n.t({ message: 'Arabic letter mark', comment: ['A Unicode bidirectional control character, shown in place of an invisible one'] });
    case 'LRM':
      return l10n.t({ message: 'left-to-right mark', comment: ['A Unicode bidirectional control character, shown in place of an invisible one'] });
    case 'RLM':
      return l10n.t({ message: 'right-to-left mark', comment: ['A Unicode bidirectional control character, shown in place of an invisible one'] });
    case 'LRE':
      return l10n.t({ message: 'left-to-right embedding', comment: ['A Unicode bidirectional control character, shown in place of an invisible one'] });
    case 'RLE':
      return l10n.t({ message: 'right-to-left embedding', comment: ['A Unicode bidirectional control character, shown in place of an invisible one'] });
    case 'PDF':
      return l10n.t({ message: 'pop directional formatting', comment: ['A Unicode bidirectional control character, shown in place of an invisible one'] });
    case 'LRO':
      return l10n.t({ message: 'left-to-right override', comment: ['A Unicode bidirectional control character, shown in place of an invisible one'] });
    case 'RLO':
      return l10n.t({ message: 'right-to-left override', comment: ['A Unicode bidirectional control character, shown in place of an invisible one'] });
    case 'LRI':
      return l10n.t({ message: 'left-to-right isolate', comment: ['A Unicode bidirectional control character, shown in place of an invisible one'] });
    case 'RLI':
      return l10n.t({ message: 'right-to-left isolate', comment: ['A Unicode bidirectional control character, shown in place of an invisible one'] });
    case 'FSI':
      return l10n.t({ message: 'first strong isolate', comment: ['A Unicode bidirectional control character, shown in place of an invisible one'] });
    case 'PDI':
      return l10n.t({ message: 'pop directional isolate', comment: ['A Unicode bidirectional control character, shown in place of an invisible one'] });
    default:
      return control.name;
  }
}

/**
 * Tooltip for a revealed control: "right-to-left override (hidden character)". The abbreviation
 * shown in the text ("RLO") is Unicode's own and stays as it is in every language.
 */
export function bidiControlTitle(control: BidiControl): string {
  return l10n.t({ message: '{0} (hidden character)', args: [controlName(control)], comment: ['{0} names a Unicode bidirectional control, e.g. "right-to-left override"'] });
}
