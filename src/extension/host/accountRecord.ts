// The saved form of an account (globalState) and of its keys (SecretStorage), read back at
// activation: checked by hand, so zod loads only when a command needs it. No 'vscode' here.
import { VENUE_IDS, type VenueId } from '../../shared/model';
import type { SettingValue } from '../venues/descriptor';

export interface AccountRecord {
  readonly id: string;
  readonly venue: VenueId;
  readonly label: string;
  /** Overrides of the venue's production endpoints (the sandbox is just another endpoint). */
  readonly endpoints: Readonly<Record<string, string>>;
  /** The endpoint preset the endpoints came from (absent: custom or the venue's default). */
  readonly preset?: string;
  /** Per-account settings (venue descriptor `settings`); missing ones take their defaults. */
  readonly settings?: Readonly<Record<string, SettingValue>>;
  readonly sandbox?: boolean;
  readonly createdAt: number;
}

export type Credentials = Readonly<Record<string, string>>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringMap = (v: unknown): v is Record<string, string> => isObject(v) && Object.values(v).every((x) => typeof x === 'string');
const isSettingsMap = (v: unknown): v is Record<string, SettingValue> => isObject(v) && Object.values(v).every((x) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean');

/** One saved record: its known fields, checked; undefined when a field is missing or of the wrong type. */
function accountRecordOf(raw: unknown): AccountRecord | undefined {
  if (!isObject(raw)) return undefined;
  const { id, venue, label, endpoints, preset, settings, sandbox, createdAt } = raw;
  if (typeof id !== 'string' || id.length === 0 || typeof label !== 'string' || typeof createdAt !== 'number') return undefined;
  if (typeof venue !== 'string' || !(VENUE_IDS as readonly string[]).includes(venue) || !isStringMap(endpoints)) return undefined;
  if ((preset !== undefined && typeof preset !== 'string') || (settings !== undefined && !isSettingsMap(settings)) || (sandbox !== undefined && typeof sandbox !== 'boolean')) return undefined;
  return {
    id,
    venue: venue as VenueId,
    label,
    endpoints: { ...endpoints },
    ...(preset !== undefined ? { preset } : {}),
    ...(settings !== undefined ? { settings: { ...settings } } : {}),
    ...(sandbox !== undefined ? { sandbox } : {}),
    createdAt,
  };
}

/** The saved account list; empty when it is not a list or any record in it is unreadable (nothing is guessed). */
export function readAccountRecords(raw: unknown): AccountRecord[] {
  if (!Array.isArray(raw)) return [];
  const records = raw.map(accountRecordOf);
  return records.every((r) => r !== undefined) ? records : [];
}

/** An account's keys as stored (a JSON object of strings); undefined when unreadable. */
export function readCredentials(json: string): Credentials | undefined {
  try {
    const parsed: unknown = JSON.parse(json);
    return isStringMap(parsed) ? { ...parsed } : undefined;
  } catch {
    return undefined;
  }
}
