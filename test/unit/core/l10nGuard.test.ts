// Issue 13 part 5 (Languages): the texts a user reads that code without `vscode` builds (venue
// errors, the account form and its checks) go through `l10n.t(...)`, which the bundle extractor
// finds. This guard reads src/extension/venues, src/extension/core and src/shared and fails on the
// three ways an English text slips past it: a VenueError (or HttpRequestError) made with a string
// or template literal, an account-form `label:`/`hint:`/`placeholder:`/`description:`/`group:`
// given a literal, and a form check (`check…`/`validate…` returning `string | undefined`, or a
// descriptor's `validate:` arrow) answering with a literal sentence. Log lines are not its business.
// A literal that must stay as it is (a brand, a protocol name) carries `/* l10n-exempt: why */`.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..', '..');
const SCANNED = ['src/extension/venues', 'src/extension/core', 'src/shared'];

export interface Finding {
  readonly file: string;
  readonly line: number;
  readonly rule: 'venue-error' | 'form-text' | 'check-return';
  readonly text: string;
}

const QUOTES = new Set(["'", '"', '`']);

/** Index after the string literal opening at `i` (template literals with their `${…}` parts). */
function skipString(src: string, i: number): number {
  const quote = src[i];
  let j = i + 1;
  while (j < src.length) {
    const c = src[j];
    if (c === '\\') j += 2;
    else if (c === quote) return j + 1;
    else if (quote === '`' && c === '$' && src[j + 1] === '{') j = closing(src, j + 1) + 1;
    else j++;
  }
  return j;
}

/** Index of the bracket closing the one at `open` (string-aware). */
function closing(src: string, open: number): number {
  const pairs: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
  const stack: string[] = [];
  let i = open;
  while (i < src.length) {
    const c = src[i]!;
    if (QUOTES.has(c)) {
      i = skipString(src, i);
      continue;
    }
    if (pairs[c]) stack.push(pairs[c]);
    else if (c === ')' || c === ']' || c === '}') {
      stack.pop();
      if (stack.length === 0) return i;
    }
    i++;
  }
  return src.length - 1;
}

/**
 * The source with comments and regular expression literals blanked out (same length, newlines
 * kept), so quotes inside either cannot start a "string". The exempt marker survives as a word.
 */
export function codeOnly(src: string): string {
  const out = src.split('');
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  let i = 0;
  let last = '';
  while (i < src.length) {
    const c = src[i]!;
    if (QUOTES.has(c)) {
      i = skipString(src, i);
      last = 'x';
    } else if (c === '/' && src[i + 1] === '/') {
      const end = src.indexOf('\n', i);
      blank(i, end < 0 ? src.length : end);
      i = end < 0 ? src.length : end;
    } else if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2) + 2;
      const exempt = /^\/\*\s*l10n-exempt\b/.test(src.slice(i, end));
      blank(i, end);
      if (exempt) out.splice(i, 11, ...'L10N_EXEMPT'.split(''));
      i = end;
    } else if (c === '/' && (last === '' || '(,=:[!&|?{};+-*%<>~^'.includes(last) || /\breturn\s*$/.test(src.slice(Math.max(0, i - 8), i)))) {
      // A regular expression literal: to the closing slash outside a character class.
      let j = i + 1;
      let inClass = false;
      while (j < src.length && src[j] !== '\n') {
        const d = src[j];
        if (d === '\\') j++;
        else if (d === '[') inClass = true;
        else if (d === ']') inClass = false;
        else if (d === '/' && !inClass) break;
        j++;
      }
      blank(i + 1, j);
      i = j + 1;
      last = 'x';
    } else {
      if (!/\s/.test(c)) last = c;
      i++;
    }
  }
  return out.join('');
}

/** `expr` without the argument lists of calls (a literal inside `l10n.t(…)` or `.test('…')` is not an answer). */
function withoutCallArguments(expr: string): string {
  let out = '';
  let i = 0;
  while (i < expr.length) {
    const c = expr[i]!;
    if (QUOTES.has(c)) {
      const end = skipString(expr, i);
      out += expr.slice(i, end);
      i = end;
    } else if (c === '(' && /[\w$)\]]\s*$/.test(expr.slice(0, i))) {
      i = closing(expr, i) + 1;
      out += '()';
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** A string or template literal with words in `expr`, outside any call and any comparison (`kind === 'file' ? …`). */
function literalWords(expr: string): string | undefined {
  const bare = withoutCallArguments(expr)
    .replace(/(?:===|!==|==|!=)\s*(['"`])(?:\\.|(?!\1)[^\\])*\1/g, '=== x')
    .replace(/(['"`])(?:\\.|(?!\1)[^\\])*\1\s*(?:===|!==|==|!=)/g, 'x ===');
  for (let i = 0; i < bare.length; i++) {
    if (!QUOTES.has(bare[i]!)) continue;
    const end = skipString(bare, i);
    const literal = bare.slice(i, end);
    if (/[A-Za-z]{2,}/.test(literal.replace(/\$\{[^}]*\}/g, ''))) return literal;
    i = end - 1;
  }
  return undefined;
}

/** Top-level arguments of the call whose `(` is at `open`. */
function argumentsAt(src: string, open: number): string[] {
  const close = closing(src, open);
  const args: string[] = [];
  let start = open + 1;
  let i = start;
  while (i < close) {
    const c = src[i]!;
    if (QUOTES.has(c)) i = skipString(src, i);
    else if (c === '(' || c === '[' || c === '{') i = closing(src, i) + 1;
    else if (c === ',') {
      args.push(src.slice(start, i));
      start = ++i;
    } else i++;
  }
  args.push(src.slice(start, close));
  return args;
}

/** The expression of the statement starting at `from` (to its `;`, or to the end of the line). */
function statementAt(src: string, from: number): string {
  let i = from;
  while (i < src.length) {
    const c = src[i]!;
    if (QUOTES.has(c)) i = skipString(src, i);
    else if (c === '(' || c === '[' || c === '{') i = closing(src, i) + 1;
    else if (c === ';' || c === '\n' || c === ',' || c === '}' || c === ')') return src.slice(from, i);
    else i++;
  }
  return src.slice(from);
}

/** What the guard finds in one file's source. */
export function scanSource(file: string, source: string): Finding[] {
  const src = codeOnly(source);
  const findings: Finding[] = [];
  const lineOf = (index: number) => src.slice(0, index).split('\n').length;
  const add = (rule: Finding['rule'], index: number, text: string) => {
    if (!src.slice(index, src.indexOf('\n', index) < 0 ? src.length : src.indexOf('\n', index)).includes('L10N_EXEMPT')) findings.push({ file, line: lineOf(index), rule, text: text.trim().slice(0, 120) });
  };

  for (const m of src.matchAll(/\bnew\s+(?:VenueError|HttpRequestError)\s*\(/g)) {
    const message = argumentsAt(src, m.index + m[0].length - 1)[1];
    if (message !== undefined && literalWords(message)) add('venue-error', m.index, message);
  }

  for (const m of src.matchAll(/\b(label|hint|placeholder|description|group)\s*:\s*(?=['"`])/g)) {
    const value = statementAt(src, m.index + m[0].length);
    if (literalWords(value)) add('form-text', m.index, `${m[1]}: ${value}`);
  }

  // Form checks: named check…/validate… answering `string | undefined`, and descriptors' `validate:` arrows.
  for (const m of src.matchAll(/\bfunction\s+(?:check|validate)\w*\s*\([^)]*\)\s*:\s*string\s*\|\s*undefined\s*\{/g)) {
    const open = m.index + m[0].length - 1;
    const body = src.slice(open, closing(src, open) + 1);
    for (const r of body.matchAll(/\breturn\b/g)) {
      const expr = statementAt(body, r.index + r[0].length);
      const literal = literalWords(expr);
      if (literal) add('check-return', open + r.index, `return ${expr}`);
    }
  }
  for (const m of src.matchAll(/\bvalidate\s*:\s*(?:\([^)]*\)|\w+)\s*=>\s*/g)) {
    const at = m.index + m[0].length;
    const expr = src[at] === '(' ? src.slice(at, closing(src, at) + 1) : statementAt(src, at);
    const inner = src[at] === '(' ? expr.slice(1, -1) : expr;
    if (literalWords(inner)) add('check-return', m.index, `validate: ${expr}`);
  }
  return findings;
}

function sourcesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir))) {
    const path = `${dir}/${name}`;
    if (statSync(join(root, path)).isDirectory()) out.push(...sourcesUnder(path));
    else if (path.endsWith('.ts') && !path.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

describe('l10n guard: user-facing texts outside the host go through l10n.t', () => {
  it('finds an English VenueError, form text and check answer in a small sample, and nothing once they are wrapped', () => {
    const planted = [
      "import * as l10n from '@vscode/l10n';",
      "throw new VenueError('auth', 'MEXC refused the key');",
      'return new VenueError(idempotent ? \'unavailable\' : \'unknown-outcome\', `Bybit sent ${what}`, code);',
      "reject(new HttpRequestError('unavailable', ok ? l10n.t('fine') : 'not fine', details));",
      "const field = { key: 'apiKey', label: 'API key', hint: `Where ${x} is`, placeholder: \"e.g. mx0…\" };",
      'export function checkThing(value: string): string | undefined {',
      "  if (/[\"'`]/.test(value)) return 'remove the quotes';",
      "  return value.length > 3 ? undefined : `is too short (${value.length})`;",
      '}',
      "const d = { validate: (v) => (/^x$/.test(v) ? undefined : 'not an x') };",
      "throw new VenueError('rejected', kind === 'file' ? 'documents only' : l10n.t('photos only'));",
    ].join('\n');
    const found = scanSource('sample.ts', planted);
    assert.deepEqual(
      found.map((f) => `${f.rule}@${f.line}`),
      ['venue-error@2', 'venue-error@3', 'venue-error@4', 'venue-error@11', 'form-text@5', 'form-text@5', 'form-text@5', 'check-return@7', 'check-return@8', 'check-return@10'],
    );

    const wrapped = [
      "throw new VenueError('auth', l10n.t('MEXC refused the key'));",
      "return new VenueError(idempotent ? 'unavailable' : 'unknown-outcome', l10n.t('Bybit sent {0}', what), code);",
      "reject(new VenueError('unknown-outcome', reason));",
      "reject(new HttpRequestError('unavailable', ok ? l10n.t('fine') : l10n.t('not fine'), details));",
      "const field = { key: 'apiKey', label: l10n.t('API key'), hint: l10n.t({ message: 'Where {0} is', args: [x], comment: ['a hint'] }) };",
      "const choice = { value: 'socketio', label: 'Socket.IO' /* l10n-exempt: a protocol name */ };",
      '// new VenueError(\'auth\', \'only a comment\'); label: \'in a comment\'',
      'export function checkThing(value: string): string | undefined {',
      "  if (/[\"'`]/.test(value)) return l10n.t('remove the quotes');",
      "  if (value.startsWith('-----BEGIN')) return checkOther(value);",
      "  return value.length > 3 ? undefined : l10n.t('is too short ({0})', value.length);",
      '}',
      'export function checkForStore(message: ChatMessage): CheckedMessage | string {',
      "  return 'a log line, not a form check';",
      '}',
      "logger.warn(`${name}: poll failed: ${reason}`);",
      "const d = { validate: (v) => (/^x$/.test(v) ? undefined : l10n.t('not an x')) };",
      "throw new VenueError('rejected', file.kind === 'file' ? l10n.t('too big for documents') : l10n.t('too big for photos'));",
      'export function checkSetting(value: unknown): string | undefined {',
      "  return typeof value === 'boolean' ? undefined : l10n.t('must be true or false');",
      '}',
    ].join('\n');
    assert.deepEqual(scanSource('wrapped.ts', wrapped), []);
  });

  it('finds nothing untranslated in src/extension/venues, src/extension/core and src/shared', () => {
    const files = SCANNED.flatMap(sourcesUnder);
    assert.ok(files.length > 100, `the scan reads the sources (${files.length} files)`);
    const findings = files.flatMap((file) => scanSource(file, readFileSync(join(root, file), 'utf8')));
    assert.deepEqual(findings.map((f) => `${f.file}:${f.line} ${f.rule}: ${f.text}`), []);
  });

  it('fails on a planted example in a real source file', () => {
    const file = 'src/extension/venues/mexc/api.ts';
    const source = readFileSync(join(root, file), 'utf8');
    assert.deepEqual(scanSource(file, source), []);
    const planted = source.replace("l10n.t('MEXC rejected the API key ({0}).', text)", '`MEXC rejected the API key (${text}).`');
    assert.notEqual(planted, source, 'the sample line is still in the file');
    assert.deepEqual(scanSource(file, planted).map((f) => f.rule), ['venue-error']);
  });
});
