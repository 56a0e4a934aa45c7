// A deterministic RSA key pair from a seed, so a sandbox account with an RSA key has the same key
// every run (a key stored in the extension by one `npm start` still works at the next). Primes come
// from a SHA-256 counter stream and Miller-Rabin; Node builds the key from its JWK parts. Test
// keys only: the seed is public, so the key is too.
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';

export interface PemKeyPair {
  /** PKCS#8 PEM. */
  readonly privateKeyPem: string;
  /** SPKI PEM (what a user registers with the venue). */
  readonly publicKeyPem: string;
}

const SMALL_PRIMES: readonly bigint[] = (() => {
  const out: bigint[] = [];
  for (let n = 3; n < 2000; n += 2) if (out.every((p) => BigInt(n) % p !== 0n)) out.push(BigInt(n));
  return out;
})();

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
    e >>= 1n;
  }
  return result;
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [a % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}

class ByteStream {
  private counter = 0;
  constructor(private readonly label: string) {}
  bytes(n: number): Buffer {
    const chunks: Buffer[] = [];
    for (let got = 0; got < n; got += 32) chunks.push(createHash('sha256').update(`${this.label}\u0000${this.counter++}`).digest());
    return Buffer.concat(chunks).subarray(0, n);
  }
}

function isProbablePrime(n: bigint, stream: ByteStream): boolean {
  for (const p of SMALL_PRIMES) if (n % p === 0n) return n === p;
  let d = n - 1n;
  let r = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    r++;
  }
  for (let round = 0; round < 24; round++) {
    const a = (BigInt(`0x${stream.bytes(32).toString('hex')}`) % (n - 3n)) + 2n;
    let x = modPow(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    let composite = true;
    for (let i = 1; i < r; i++) {
      x = (x * x) % n;
      if (x === n - 1n) {
        composite = false;
        break;
      }
    }
    if (composite) return false;
  }
  return true;
}

function prime(bits: number, stream: ByteStream, e: bigint): bigint {
  for (;;) {
    const raw = stream.bytes(bits / 8);
    // Top two bits set (so p*q has the full length), odd.
    raw[0] = raw[0]! | 0xc0;
    raw[raw.length - 1] = raw[raw.length - 1]! | 1;
    const candidate = BigInt(`0x${raw.toString('hex')}`);
    if ((candidate - 1n) % e !== 0n && isProbablePrime(candidate, stream)) return candidate;
  }
}

function b64url(n: bigint): string {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return Buffer.from(hex, 'hex').toString('base64url');
}

const cache = new Map<string, PemKeyPair>();

/** The same (label, bits) always gives the same key pair; cached for the process. */
export function deterministicRsaKeyPair(label: string, bits = 2048): PemKeyPair {
  const key = `${label}\u0000${bits}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const e = 65537n;
  const stream = new ByteStream(`rsa\u0000${key}`);
  const p = prime(bits / 2, stream, e);
  let q = prime(bits / 2, stream, e);
  while (q === p) q = prime(bits / 2, stream, e);
  const n = p * q;
  const phi = (p - 1n) * (q - 1n);
  const d = modInverse(e, phi);
  const jwk = {
    kty: 'RSA', n: b64url(n), e: b64url(e), d: b64url(d), p: b64url(p), q: b64url(q),
    dp: b64url(d % (p - 1n)), dq: b64url(d % (q - 1n)), qi: b64url(modInverse(q, p)),
  };
  const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
  const pair: PemKeyPair = {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString(),
  };
  cache.set(key, pair);
  return pair;
}
