// The seeded Mixin world: one bot (app id, session id, Ed25519 session key, server key), and the
// users who talk to it. Everything comes from the sandbox seed, so a restarted sandbox accepts an
// account the extension saved before.
import { createHash, type KeyObject } from 'node:crypto';
import { ed25519PrivateKey, ed25519PublicKey, ed25519RawPublicKey } from '../util/ed25519';
import { seededRandom } from '../util/random';
import { uuidFrom } from './ids';

export interface MixinBot {
  readonly appId: string;
  readonly sessionId: string;
  /** The 32-byte session seed (the keystore's `session_private_key`, hex). */
  readonly sessionSeed: Buffer;
  readonly sessionPublicKey: KeyObject;
  readonly serverPublicKeyHex: string;
  readonly identityNumber: string;
  readonly fullName: string;
}

export interface MixinUser {
  readonly userId: string;
  readonly identityNumber: string;
  readonly fullName: string;
}

function derivedSeed(seed: number | string, label: string): Buffer {
  return createHash('sha256').update(`${String(seed)}\u0000mixin\u0000${label}`).digest();
}

export function seedBot(seed: number | string): MixinBot {
  const r = seededRandom(seed, 'mixin-bot');
  const sessionSeed = derivedSeed(seed, 'session-key');
  const serverKey = ed25519PrivateKey(derivedSeed(seed, 'server-key'));
  return {
    appId: uuidFrom(r),
    sessionId: uuidFrom(r),
    sessionSeed,
    sessionPublicKey: ed25519PublicKey(ed25519RawPublicKey(ed25519PrivateKey(sessionSeed))),
    serverPublicKeyHex: ed25519RawPublicKey(serverKey).toString('hex'),
    identityNumber: `7000${r.digits(6)}`,
    fullName: 'Sandbox Mixin bot',
  };
}

const USER_NAMES = ['Amira Haddad', 'Kenji Watanabe', 'Lucía Ortega'] as const;

export function seedUsers(seed: number | string): MixinUser[] {
  const r = seededRandom(seed, 'mixin-users');
  return USER_NAMES.map((fullName) => ({ userId: uuidFrom(r), identityNumber: `3${r.digits(7)}`, fullName }));
}

/** The keystore JSON the developer dashboard hands out, compact, as the extension takes it. */
export function keystoreJson(bot: MixinBot): string {
  return JSON.stringify({ app_id: bot.appId, session_id: bot.sessionId, session_private_key: bot.sessionSeed.toString('hex'), server_public_key: bot.serverPublicKeyHex });
}
