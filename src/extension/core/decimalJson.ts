// JSON.parse for replies whose numbers are money. Venues write BigDecimal amounts as JSON numbers
// (MEXC: `"amount": 349.60`); JSON.parse would make that the float 349.6, and a long quantity
// would lose digits. Here every number with a fraction or an exponent, and every integer beyond
// 2^53, arrives as its source text (a string); safe integers (codes, ms timestamps) stay numbers.

const NUMBER_TOKEN = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

function isNumberChar(c: number): boolean {
  // 0-9 . e E + -
  return (c >= 48 && c <= 57) || c === 46 || c === 101 || c === 69 || c === 43 || c === 45;
}

/** Parses `text` as JSON, keeping decimal numbers as their exact source text. Throws SyntaxError like JSON.parse. */
export function parseJsonKeepingDecimals(text: string): unknown {
  let out = '';
  let copiedUpTo = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // A string: skip to its closing quote (escapes skip the next character).
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92) i += 2;
        else if (d === 34) {
          i++;
          break;
        } else i++;
      }
      continue;
    }
    if (c === 45 || (c >= 48 && c <= 57)) {
      const start = i;
      i++;
      while (i < n && isNumberChar(text.charCodeAt(i))) i++;
      const token = text.slice(start, i);
      if (!NUMBER_TOKEN.test(token)) throw new SyntaxError(`not a JSON number at position ${start}`);
      const keepText = token.includes('.') || /[eE]/.test(token) || !Number.isSafeInteger(Number(token));
      if (keepText) {
        out += `${text.slice(copiedUpTo, start)}"${token}"`;
        copiedUpTo = i;
      }
      continue;
    }
    i++;
  }
  out += text.slice(copiedUpTo);
  return JSON.parse(out);
}
