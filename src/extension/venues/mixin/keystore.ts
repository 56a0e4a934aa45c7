// A Mixin bot keystore (docs/venue-accounts.md): `app_id`, `session_id`, `session_private_key`
// and `server_public_key`. The private key comes in two forms: the current one is the 32-byte
// Ed25519 seed in hex; older keystores carry the 64-byte key (seed + public key) in base64 or
// base64url. Both are read into the seed, and the 64-byte form must carry the seed's own public key.
import { createPublicKey } from 'node:crypto';
import { ed25519KeyFromSeed } from './auth';
import * as l10n from '@vscode/l10n';

export interface MixinKeystore {
  readonly appId: string;
  readonly sessionId: string;
  /** The 32-byte Ed25519 seed. */
  readonly seed: Buffer;
  /** The session's public key, derived from the seed. */
  readonly publicKey: Buffer;
  readonly serverPublicKey: Buffer;
}

export type KeystoreResult = { readonly ok: true; readonly keystore: MixinKeystore } | { readonly ok: false; readonly problem: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseMixinKeystore(text: string): KeystoreResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, problem: l10n.t('not JSON (paste the whole keystore file, braces included)') };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, problem: l10n.t('the keystore must be a JSON object') };
  const o = raw as Record<string, unknown>;
  const str = (name: string): string | undefined => (typeof o[name] === 'string' ? (o[name] as string).trim() : undefined);
  // Some tools write `user_id` for the bot's id; the docs call it `app_id`.
  const appId = str('app_id') ?? str('user_id');
  const sessionId = str('session_id');
  const privateKey = str('session_private_key');
  const serverKey = str('server_public_key');
  const missing = [['app_id', appId], ['session_id', sessionId], ['session_private_key', privateKey], ['server_public_key', serverKey]].filter(([, v]) => !v).map(([k]) => k);
  if (missing.length > 0) {
    const legacy = typeof o.private_key === 'string' && typeof o.pin_token === 'string';
    return {
      ok: false,
      problem: legacy
        ? l10n.t({ message: 'the keystore lacks {0} (this looks like a legacy RSA keystore, which is not supported: create an Ed25519 session key)', args: [missing.join(', ')], comment: ['{0} lists JSON field names.'] })
        : l10n.t({ message: 'the keystore lacks {0}', args: [missing.join(', ')], comment: ['{0} lists JSON field names.'] }),
    };
  }
  if (!UUID.test(appId!)) return { ok: false, problem: l10n.t('app_id is not a UUID') };
  if (!UUID.test(sessionId!)) return { ok: false, problem: l10n.t('session_id is not a UUID') };
  const seed = decodeSessionKey(privateKey!);
  if (typeof seed === 'string') return { ok: false, problem: l10n.t({ message: 'session_private_key {0}', args: [seed], comment: ['{0} is what is wrong with the key, e.g. "must be 64 hex characters …".'] }) };
  const serverPublicKey = decodeKeyBytes(serverKey!, 32);
  if (!serverPublicKey) return { ok: false, problem: l10n.t('server_public_key is not a 32-byte key in hex or base64') };
  return { ok: true, keystore: { appId: appId!.toLowerCase(), sessionId: sessionId!.toLowerCase(), seed: seed.seed, publicKey: seed.publicKey, serverPublicKey } };
}

/** The problem with a pasted keystore, if any (the account form's check). */
export function checkMixinKeystore(text: string): string | undefined {
  const parsed = parseMixinKeystore(text);
  return parsed.ok ? undefined : parsed.problem;
}

/**
 * The keystore's private values as written, for the log redactor (the whole JSON is registered
 * too); and its session id, as written and as the JWT's `sid` carries it (lower case): a venue error
 * that quotes it must not pass. The app id is the bot's public user id and stays readable.
 */
export function mixinKeystoreSecrets(text: string): string[] {
  try {
    const o = JSON.parse(text) as Record<string, unknown>;
    const values = Object.entries(o)
      .filter(([name, v]) => typeof v === 'string' && /private|secret|pin|token|session_id/i.test(name))
      .map(([, v]) => v as string);
    const sessionId = o['session_id'];
    if (typeof sessionId === 'string' && sessionId.toLowerCase() !== sessionId) values.push(sessionId.toLowerCase());
    return values;
  } catch {
    return [];
  }
}

function decodeSessionKey(value: string): { seed: Buffer; publicKey: Buffer } | string {
  let seed: Buffer;
  let claimedPublic: Buffer | undefined;
  if (/^[0-9a-f]{64}$/i.test(value)) {
    seed = Buffer.from(value, 'hex');
  } else {
    const bytes = decodeBase64(value);
    if (!bytes) return l10n.t({ message: 'must be 64 hex characters (a 32-byte seed) or a 64-byte key in base64', comment: ['Said of the keystore\'s session_private_key, after its name.'] });
    if (bytes.length === 32) {
      seed = bytes;
    } else if (bytes.length === 64) {
      seed = bytes.subarray(0, 32);
      claimedPublic = bytes.subarray(32);
    } else {
      return l10n.t({ message: 'decodes to {0} bytes; expected a 32-byte seed or a 64-byte key', args: [bytes.length], comment: ['Said of the keystore\'s session_private_key, after its name.'] });
    }
  }
  const publicKey = ed25519PublicKey(seed);
  if (claimedPublic && !claimedPublic.equals(publicKey)) return l10n.t({ message: 'is damaged: its second half is not the public key of its first half', comment: ['Said of the keystore\'s session_private_key, after its name.'] });
  return { seed, publicKey };
}

function ed25519PublicKey(seed: Buffer): Buffer {
  const jwk = createPublicKey(ed25519KeyFromSeed(seed)).export({ format: 'jwk' });
  return Buffer.from(jwk.x ?? '', 'base64url');
}

function decodeKeyBytes(value: string, length: number): Buffer | undefined {
  if (new RegExp(`^[0-9a-f]{${length * 2}}$`, 'i').test(value)) return Buffer.from(value, 'hex');
  const bytes = decodeBase64(value);
  return bytes?.length === length ? bytes : undefined;
}

/** Standard or URL-safe base64, padded or not; undefined when it is neither. */
function decodeBase64(value: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) return undefined;
  if (/[+/]/.test(value) && /[-_]/.test(value)) return undefined;
  const unpadded = value.replace(/=+$/, '');
  if (unpadded.length % 4 === 1) return undefined;
  return Buffer.from(unpadded.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}
