// The value checks both runtime validators (messageValidator.ts, conversationValidator.ts) build
// their field tables from. Each describes what is wrong with a value (the caller prefixes the
// field name), or returns undefined when the value is fine.

export type Check = (value: unknown) => string | undefined;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const stringUpTo =
  (max: number, minLength = 0): Check =>
  (v) => {
    if (typeof v !== 'string') return 'is not a string';
    if (v.length < minLength) return 'is empty';
    return v.length > max ? `is longer than ${max}` : undefined;
  };

export const matches =
  (pattern: RegExp, what: string): Check =>
  (v) =>
    typeof v === 'string' && pattern.test(v) ? undefined : `is not ${what}`;

export const finite: Check = (v) => (typeof v === 'number' && Number.isFinite(v) ? undefined : 'is not a finite number');

export const nonNegative: Check = (v) => finite(v) ?? ((v as number) < 0 ? 'is negative' : undefined);

export const boolean: Check = (v) => (typeof v === 'boolean' ? undefined : 'is not a boolean');

/** One of the table's keys (tables are written `satisfies Record<Union, true>`, so none is missed). */
export const oneOf =
  (table: Record<string, true>): Check =>
  (v) =>
    typeof v === 'string' && Object.hasOwn(table, v) ? undefined : 'is unknown';
