// Emulator settings: defaults, then whatever the caller gave (an option left undefined keeps its default).

/** The fields of `value` that are not undefined. */
export function definedFields<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function withDefaults<T extends object>(defaults: T, given: Partial<T>): T {
  return { ...defaults, ...definedFields(given) };
}
