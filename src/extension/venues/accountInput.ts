// Checks a filled-in account form against the venue's descriptor: credentials (per kind, then the
// venue's own checks), endpoints (preset, overrides, required ones without a default) and
// per-account settings. The prompts and the argument objects both end here, so a scripted account
// is held to the same rules as a typed one.
import type { EndpointDescriptor, FieldDescriptor, SettingDescriptor, SettingValue, VenueDescriptor } from './descriptor';
import { parsePem, pemSecretParts } from './pem';
import * as l10n from '@vscode/l10n';

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

/** Whether a field applies, given the values of the choice fields it depends on. */
export function fieldApplies(field: FieldDescriptor, values: Readonly<Record<string, string>>): boolean {
  if (!field.showWhen) return true;
  const current = values[field.showWhen.field];
  return current !== undefined && field.showWhen.is.includes(current);
}

/** The value as stored: trimmed; a PEM rebuilt into canonical lines; a keystore as compact JSON. */
export function normalizeFieldValue(field: FieldDescriptor, raw: string): string {
  const value = raw.trim();
  if (field.kind === 'pem') {
    const parsed = parsePem(value);
    return parsed.ok ? parsed.pem.text : value;
  }
  if (field.kind === 'keystore') {
    try {
      return JSON.stringify(JSON.parse(value));
    } catch {
      return value;
    }
  }
  return value;
}

/** The problem with one (normalized) value, if any. An empty optional value is fine. */
export function checkFieldValue(field: FieldDescriptor, value: string | undefined): string | undefined {
  if (value === undefined || value === '') return field.optional ? undefined : l10n.t('{0} is required', field.label);
  switch (field.kind) {
    case 'choice':
      if (!field.options?.some((o) => o.value === value)) return l10n.t('{0} must be one of {1}', field.label, (field.options ?? []).map((o) => o.value).join(', '));
      break;
    case 'pem': {
      const parsed = parsePem(value);
      if (!parsed.ok) return l10n.t({ message: '{0}: {1}', args: [field.label, parsed.problem], comment: ['{0} is a form field\'s name, {1} what is wrong with its value.'] });
      break;
    }
    case 'keystore': {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        return l10n.t('{0}: not JSON (paste the whole keystore file, braces included)', field.label);
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return l10n.t('{0}: the keystore must be a JSON object', field.label);
      break;
    }
    case 'secret':
    case 'text':
      if (/[\r\n]/.test(value)) return l10n.t('{0} must be a single line', field.label);
      break;
  }
  const problem = field.validate?.(value);
  return problem ? l10n.t({ message: '{0}: {1}', args: [field.label, problem], comment: ['{0} is a form field\'s name, {1} what is wrong with its value.'] }) : undefined;
}

/**
 * Checks and normalizes credentials: every applicable field, then the venue's cross-field check.
 * Fields that do not apply (the RSA key when the key type is HMAC) are dropped; unknown names are
 * refused, so a scripted caller's typo does not pass silently.
 */
export function checkCredentialValues(descriptor: VenueDescriptor, raw: Readonly<Record<string, string>>): Checked<Record<string, string>> {
  const known = new Set(descriptor.credentialFields.map((f) => f.key));
  const unknown = Object.keys(raw).filter((k) => !known.has(k));
  if (unknown.length > 0) return { ok: false, problem: l10n.t('{0} has no credential field {1}', descriptor.name, unknown.map((k) => `"${k}"`).join(', ')) };
  const values: Record<string, string> = {};
  // Choice fields first: other fields depend on them.
  const ordered = [...descriptor.credentialFields].sort((a, b) => Number(b.kind === 'choice') - Number(a.kind === 'choice'));
  for (const field of ordered) {
    if (!fieldApplies(field, values)) continue;
    const given = raw[field.key];
    const value = given === undefined ? undefined : normalizeFieldValue(field, given);
    const problem = checkFieldValue(field, value);
    if (problem) return { ok: false, problem };
    if (value) values[field.key] = value;
  }
  const problem = descriptor.checkCredentials?.(values);
  return problem ? { ok: false, problem } : { ok: true, value: values };
}

/** Every value the log must never print: each secret field, and the parts a venue says are secret inside it. */
export function secretValuesOf(descriptor: VenueDescriptor, credentials: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  for (const field of descriptor.credentialFields) {
    const value = credentials[field.key];
    if (!field.secret || !value) continue;
    out.push(value);
    if (field.kind === 'pem') out.push(...pemSecretParts(value));
    if (field.secretParts) out.push(...field.secretParts(value));
  }
  return out;
}

export interface EndpointInput {
  /** A preset id; absent = the venue's first preset. */
  readonly preset?: string;
  /** Explicit URLs, over the preset's. */
  readonly endpoints?: Readonly<Record<string, string>>;
}

/**
 * The endpoints an account uses: the preset's, overridden by explicit ones. An endpoint no preset
 * supplies must be given when it is required (a self-hosted gateway has no default). Every URL passes
 * `checkEndpoint`; explicitly given ones may be plain http/ws (a gateway on the LAN).
 */
export function resolveEndpoints(descriptor: VenueDescriptor, input: EndpointInput): Checked<Record<string, string>> {
  const preset = input.preset === undefined ? descriptor.endpointPresets[0] : descriptor.endpointPresets.find((p) => p.id === input.preset);
  if (input.preset !== undefined && !preset) {
    const ids = descriptor.endpointPresets.map((p) => p.id);
    return { ok: false, problem: ids.length > 0 ? l10n.t('{0} has no endpoint preset "{1}" (one of {2})', descriptor.name, input.preset, ids.join(', ')) : l10n.t('{0} has no endpoint presets', descriptor.name) };
  }
  const known = new Set(descriptor.endpoints.map((e) => e.key));
  const unknown = Object.keys(input.endpoints ?? {}).filter((k) => !known.has(k));
  if (unknown.length > 0) return { ok: false, problem: l10n.t('{0} has no endpoint {1}', descriptor.name, unknown.map((k) => `"${k}"`).join(', ')) };
  const endpoints: Record<string, string> = {};
  for (const e of descriptor.endpoints) {
    const explicit = input.endpoints?.[e.key]?.trim() || undefined;
    const value = explicit ?? preset?.endpoints[e.key];
    if (!value) {
      if (e.required) return { ok: false, problem: missingEndpoint(descriptor, e) };
      continue;
    }
    const problem = checkEndpoint(value, explicit !== undefined);
    if (problem) return { ok: false, problem };
    endpoints[e.key] = value;
  }
  return { ok: true, value: endpoints };
}

function missingEndpoint(descriptor: VenueDescriptor, e: EndpointDescriptor): string {
  return e.hint
    ? l10n.t({ message: '{0} is required: {1} has no default for it ({2})', args: [e.label, descriptor.name, e.hint], comment: ['{0} is a field name, {1} a venue, {2} a hint where to find the value.'] })
    : l10n.t({ message: '{0} is required: {1} has no default for it', args: [e.label, descriptor.name], comment: ['{0} is a field name, {1} a venue.'] });
}

/**
 * Endpoints must be https/wss, except loopback and hosts the user set explicitly
 * (docs/architecture.md, Trust boundaries).
 */
export function checkEndpoint(url: string, explicit: boolean): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return l10n.t('not a URL: {0}', url);
  }
  const secure = parsed.protocol === 'https:' || parsed.protocol === 'wss:';
  const plain = parsed.protocol === 'http:' || parsed.protocol === 'ws:';
  if (!secure && !plain) return l10n.t('unsupported scheme {0} in {1}', parsed.protocol, url);
  if (parsed.username || parsed.password) return l10n.t('put credentials in the account\'s keys, not in the URL: {0}//{1}', parsed.protocol, parsed.host);
  const loopback = ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(parsed.hostname);
  if (plain && !loopback && !explicit) return l10n.t('plain {0} is allowed only for loopback or explicitly configured hosts: {1}', parsed.protocol, url);
  return undefined;
}

/** The problem with one setting value, if any. */
export function checkSettingValue(setting: SettingDescriptor, value: unknown): string | undefined {
  switch (setting.kind) {
    case 'choice':
      if (typeof value !== 'string' || !setting.options?.some((o) => o.value === value)) return l10n.t('{0} must be one of {1}', setting.label, (setting.options ?? []).map((o) => o.value).join(', '));
      return undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : l10n.t('{0} must be true or false', setting.label);
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return l10n.t('{0} must be a number', setting.label);
      if (setting.min !== undefined && value < setting.min) return l10n.t('{0} must be at least {1}', setting.label, setting.min);
      if (setting.max !== undefined && value > setting.max) return l10n.t('{0} must be at most {1}', setting.label, setting.max);
      return undefined;
    case 'text':
      if (typeof value !== 'string' || value.length > 200) return l10n.t('{0} must be text of at most 200 characters', setting.label);
      return value === '' ? undefined : setting.validate?.(value.trim());
  }
}

/** The account's settings with every descriptor setting present; stored values that no longer check fall back to the default. */
export function resolveSettings(descriptor: VenueDescriptor, stored: Readonly<Record<string, unknown>> = {}): Record<string, SettingValue> {
  const out: Record<string, SettingValue> = {};
  for (const s of descriptor.settings) {
    const value = stored[s.key];
    out[s.key] = value !== undefined && checkSettingValue(s, value) === undefined ? (value as SettingValue) : s.default;
  }
  return out;
}

/** Checks changes to settings (unknown names refused) and returns the complete new settings. */
export function applySettings(descriptor: VenueDescriptor, current: Readonly<Record<string, unknown>>, changes: Readonly<Record<string, unknown>>): Checked<Record<string, SettingValue>> {
  const next = resolveSettings(descriptor, current);
  for (const [key, value] of Object.entries(changes)) {
    const setting = descriptor.settings.find((s) => s.key === key);
    if (!setting) return { ok: false, problem: l10n.t('{0} has no account setting "{1}"', descriptor.name, key) };
    const problem = checkSettingValue(setting, value);
    if (problem) return { ok: false, problem };
    next[key] = value as SettingValue;
  }
  return { ok: true, value: next };
}
