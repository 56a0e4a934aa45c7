// The shape of a venue as the host sees it: the account form (credential fields, endpoints and
// their presets, per-account settings), the venue's own credential checks, and what an adapter
// gets when it is built (AdapterContext). Plain data plus pure functions: no 'vscode'. Descriptors
// are in the main bundle; what builds adapters is in each venue's own bundle (venueModule.ts).
import type { VenueId } from '../../shared/model';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import { VenueError } from './venue';
import * as l10n from '@vscode/l10n';

/**
 * How a credential is entered:
 * - `secret`: one line in a password box (API keys, HMAC secrets, passwords);
 * - `text`: one plain line (an e-mail address, an account name);
 * - `pem`: a multi-line PEM (an RSA private key), picked from a file or pasted;
 * - `keystore`: a JSON keystore, picked from a file or pasted;
 * - `choice`: one of `options` (which kind of key, which way to log in).
 */
export type FieldKind = 'secret' | 'text' | 'pem' | 'keystore' | 'choice';

export interface ChoiceOption {
  readonly value: string;
  readonly label: string;
  readonly description?: string;
}

/** A field that applies only when another (choice) field has one of these values. */
export interface FieldCondition {
  readonly field: string;
  readonly is: readonly string[];
}

export interface FieldDescriptor {
  readonly key: string;
  readonly label: string;
  readonly kind: FieldKind;
  /** Secret values go to SecretStorage only and are registered with the log redactor. */
  readonly secret: boolean;
  /** Absent = required. */
  readonly optional?: boolean;
  /** A line under the prompt: where the user finds this value. */
  readonly hint?: string;
  readonly options?: readonly ChoiceOption[];
  readonly showWhen?: FieldCondition;
  /** The venue's check of one value (after trimming); returns the problem, if any. */
  readonly validate?: (value: string) => string | undefined;
  /** Values inside a secret (a keystore's private key) that must be redacted on their own too. */
  readonly secretParts?: (value: string) => readonly string[];
}

export interface EndpointDescriptor {
  readonly key: string;
  readonly label: string;
  /** Must be given when no preset supplies it (a self-hosted gateway has no default). */
  readonly required?: boolean;
  readonly hint?: string;
}

/** A named set of endpoints (production, testnet, a regional host); the first preset is the default. */
export interface EndpointPreset {
  readonly id: string;
  readonly label: string;
  /** Presets with the same group are shown together under it (e.g. "Regional mainnet"). */
  readonly group?: string;
  readonly endpoints: Readonly<Record<string, string>>;
}

export type SettingValue = string | number | boolean;

/** A per-account setting (not a secret): kept in the account's metadata, editable later. */
export interface SettingDescriptor {
  readonly key: string;
  readonly label: string;
  readonly kind: 'choice' | 'number' | 'boolean' | 'text';
  readonly default: SettingValue;
  /** `text`: the venue's check of a value (after trimming). */
  readonly validate?: (value: string) => string | undefined;
  /**
   * The venue lists the values once the keys are known (MultiWA: the gateway's WhatsApp profiles),
   * through its module's `discoverSetting`. Asked for when the account is added (taken silently
   * when there is one) and offered by Account Settings. A `text` setting that is discoverable and
   * has an empty default must be chosen.
   */
  readonly discoverable?: boolean;
  readonly options?: readonly ChoiceOption[];
  readonly min?: number;
  readonly max?: number;
  readonly description?: string;
}

/** Where adapters register values they derive from the keys (listen keys, tokens, JWTs) for redaction. */
export interface SecretSink {
  addSecret(value: string): void;
}

/**
 * A small per-account store adapters may write (a chat mode learned from the venue, a cursor).
 * Persisted as JSON, size-capped, removed with the account; it refuses values holding a secret.
 */
export interface AccountStateStore {
  get(key: string): unknown;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface AdapterContext {
  readonly accountId: string;
  readonly credentials: Readonly<Record<string, string>>;
  readonly endpoints: Readonly<Record<string, string>>;
  /** The account's settings, every descriptor setting present (defaults filled in). */
  readonly settings: Readonly<Record<string, SettingValue>>;
  readonly state: AccountStateStore;
  readonly redactor: SecretSink;
  /** A private folder for files the adapter keeps (received media the venue sends inline), removed with the account. */
  readonly mediaDir?: string;
  /** Host-wide tuning fixed for the adapter's life (socket caps, timeouts). */
  readonly options: Readonly<Record<string, number | undefined>>;
  /**
   * Host-wide options from VS Code settings the adapter reads at each use, so a changed setting
   * applies to connected accounts without reconnecting (MEXC's time zone: `timezoneOffsetMinutes`).
   */
  readonly liveOptions?: Readonly<Record<string, () => number | undefined>>;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

export interface VenueDescriptor {
  readonly id: VenueId;
  readonly name: string;
  readonly credentialFields: readonly FieldDescriptor[];
  readonly endpoints: readonly EndpointDescriptor[];
  /** Named endpoint sets; the first is the default. Empty when every endpoint must be given. */
  readonly endpointPresets: readonly EndpointPreset[];
  readonly settings: readonly SettingDescriptor[];
  /** A check across fields (a key and a secret swapped, a key type that does not match the key). */
  readonly checkCredentials?: (values: Readonly<Record<string, string>>) => string | undefined;
  /**
   * Whether this version has the venue's adapter (its bundle, dist/venues/<id>.js). Venues without
   * one are listed so the user sees the roadmap, but cannot be added.
   */
  readonly supported: boolean;
}

/** A credential the form guarantees; its absence means stored secrets were lost or edited. */
export function requiredCredential(values: Readonly<Record<string, string>>, key: string): string {
  const v = values[key];
  if (!v) throw new VenueError('auth', l10n.t('missing credential "{0}"', key));
  return v;
}
