// The fields of an OrderContext as venues send them (docs/architecture.md, Order context): decimal
// amounts kept as their exact text, codes (tickers, states) checked so they cannot spoof the words
// around them, and no undefined fields (conversations are compared and saved as they are).
import type { OrderContext } from '../../shared/model';
import { DECIMAL_PATTERN } from '../../shared/conversationValidator';

const CODE = /^[A-Za-z0-9._-]{1,32}$/;

/**
 * A decimal amount exactly as written. Strings pass unchanged when they are plain decimals; a
 * number (venues write BigDecimal as a JSON number; the REST clients keep non-integers as text, so
 * only integers arrive as numbers) is written out without an exponent.
 */
export function decimalText(value: string | number | null | undefined): string | undefined {
  if (typeof value === 'string') {
    const text = value.trim();
    if (DECIMAL_PATTERN.test(text)) return text;
    // "1.5E+2", as a BigDecimal may print itself.
    return /^\d+(\.\d+)?[eE][+-]?\d+$/.test(text) ? expandExponent(text) : undefined;
  }
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) {
    const text = String(value);
    return DECIMAL_PATTERN.test(text) ? text : expandExponent(text);
  }
  return undefined;
}

/** "1.5e-7" -> "0.00000015", "1.5E+2" -> "150", digit by digit (no float arithmetic). */
function expandExponent(text: string): string | undefined {
  const m = /^(\d+)(?:\.(\d+))?[eE]([+-]?\d+)$/.exec(text);
  if (!m) return undefined;
  const [, intPart = '', fracPart = '', expText = '0'] = m;
  const exp = Number(expText);
  if (Math.abs(exp) > 60) return undefined;
  const digits = intPart + fracPart;
  const point = intPart.length + exp;
  let result: string;
  if (point <= 0) result = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) result = digits + '0'.repeat(point - digits.length);
  else result = `${digits.slice(0, point)}.${digits.slice(point)}`;
  result = result.replace(/^0+(?=\d)/, '');
  if (result.includes('.')) result = result.replace(/0+$/, '').replace(/\.$/, '');
  return DECIMAL_PATTERN.test(result) ? result : undefined;
}

export function codeText(value: string | null | undefined): string | undefined {
  const text = value?.trim();
  return text && CODE.test(text) ? text : undefined;
}


/** The context without undefined fields. */
export function withoutUndefinedFields(context: OrderContext): OrderContext {
  return Object.fromEntries(Object.entries(context).filter(([, v]) => v !== undefined)) as unknown as OrderContext;
}
