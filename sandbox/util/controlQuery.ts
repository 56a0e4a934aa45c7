// Query-string parsers for the emulators' control routes (`GET /control/<venue>/requests?since=`):
// an empty parameter means "not given"; a malformed one is bad input (HTTP 400).
import { SandboxInputError } from './input';

function intParam(query: URLSearchParams, name: string, pattern: RegExp, must: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  if (!pattern.test(value)) throw new SandboxInputError(`${name} must be ${must}`);
  return Number(value);
}

export function optionalInt(query: URLSearchParams, name: string): number | undefined {
  return intParam(query, name, /^-?\d{1,15}$/, 'an integer');
}

export function optionalNonNegativeInt(query: URLSearchParams, name: string): number | undefined {
  return intParam(query, name, /^\d{1,15}$/, 'a non-negative integer');
}

export function optionalString(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name);
  return value === null || value === '' ? undefined : value;
}

/** `?kind=`, one of the venue's request record kinds. */
export function requestKind<K extends string>(query: URLSearchParams, kinds: readonly K[]): K | undefined {
  const kind = query.get('kind');
  if (kind === null) return undefined;
  const known = kinds.find((k) => k === kind);
  if (!known) throw new SandboxInputError(`kind must be one of ${kinds.join(', ')}`);
  return known;
}

/** `?account=` as an index (up to 3 digits) or an API key. */
export function accountRef(query: URLSearchParams): number | string | undefined {
  const value = optionalString(query, 'account');
  if (value === undefined) return undefined;
  return /^\d{1,3}$/.test(value) ? Number(value) : value;
}
