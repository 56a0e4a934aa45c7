import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { ed25519KeyFromSeed, ed25519Sign, MixinSigner, requestSignature } from '../../../../src/extension/venues/mixin/auth';
import { decodeBlazeFrame, encodeBlazeFrame, MAX_BLAZE_JSON_BYTES } from '../../../../src/extension/venues/mixin/blazeFrames';
import { uniqueConversationId } from '../../../../src/extension/venues/mixin/conversationId';
import { parseMixinKeystore } from '../../../../src/extension/venues/mixin/keystore';

// RFC 8032 section 7.1, tests 1 and 2: secret key (the seed), public key, message, signature.
const RFC8032 = [
  {
    seed: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    seed: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
];

const APP_ID = '7e0b0ab3-6a0f-4c8d-9c3e-1c3c6f9e2a11';
const SESSION_ID = '1d8f3c2e-5b4a-4f6e-8a9d-0c1b2a3d4e5f';

function keystoreText(seedHex: string): string {
  return JSON.stringify({ app_id: APP_ID, session_id: SESSION_ID, session_private_key: seedHex, server_public_key: RFC8032[1]!.publicKey });
}

function decodePart(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('Mixin auth, Blaze frames and conversation ids', () => {
  it('handles the Ed25519 session key as RFC 8032 does (test vectors 1 and 2)', () => {
    for (const v of RFC8032) {
      const parsed = parseMixinKeystore(keystoreText(v.seed));
      assert.ok(parsed.ok);
      assert.equal(parsed.keystore.publicKey.toString('hex'), v.publicKey, 'public key derived from the seed');
      assert.equal(ed25519Sign(ed25519KeyFromSeed(Buffer.from(v.seed, 'hex')), Buffer.from(v.message, 'hex')).toString('hex'), v.signature);
    }
    // The older 64-byte form (seed + public key, base64) reads to the same seed.
    const legacy = Buffer.concat([Buffer.from(RFC8032[0]!.seed, 'hex'), Buffer.from(RFC8032[0]!.publicKey, 'hex')]).toString('base64');
    const parsed = parseMixinKeystore(keystoreText(legacy));
    assert.ok(parsed.ok);
    assert.equal(parsed.keystore.seed.toString('hex'), RFC8032[0]!.seed);
  });

  it('signs a JWT per request: EdDSA header, uid/sid/iat/exp/jti/scp, sig over METHOD + URI with query + exact body', () => {
    const parsed = parseMixinKeystore(keystoreText(RFC8032[0]!.seed));
    assert.ok(parsed.ok);
    const signer = new MixinSigner(parsed.keystore);
    const now = Date.UTC(2026, 11, 1, 10, 0, 0);
    const body = '{"category":"CONTACT","conversation_id":"x"}';
    const token = signer.token({ method: 'post', uri: '/conversations?x=1', body, requestId: 'b2d7f0a4-8c1e-4e51-9a0f-3b2c1d0e9f8a' }, now);
    const [h, p, s] = token.split('.');
    assert.deepEqual(decodePart(h!), { alg: 'EdDSA', typ: 'JWT' });
    const claims = decodePart(p!);
    assert.deepEqual(claims, {
      uid: APP_ID,
      sid: SESSION_ID,
      iat: now / 1000,
      exp: now / 1000 + 3600,
      jti: 'b2d7f0a4-8c1e-4e51-9a0f-3b2c1d0e9f8a',
      sig: createHash('sha256').update(`POST/conversations?x=1${body}`).digest('hex'),
      scp: 'FULL',
    });
    const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(RFC8032[0]!.publicKey, 'hex').toString('base64url') }, format: 'jwk' });
    assert.equal(verify(null, Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s!, 'base64url')), true, 'the registered public key verifies it');
    // The Blaze handshake signs GET + "/" + "".
    assert.equal(requestSignature('GET', '/'), createHash('sha256').update('GET/').digest('hex'));
    assert.equal(requestSignature('get', ''), requestSignature('GET', '/'), 'an empty URI is "/"');
  });

  it('Blaze frames are gzip JSON both ways; garbage, text and bombs are problems, not exceptions', () => {
    const frame = encodeBlazeFrame({ id: 'a1', action: 'LIST_PENDING_MESSAGES' });
    assert.equal(frame[0], 0x1f, 'gzip magic');
    assert.deepEqual(decodeBlazeFrame(frame), { ok: true, frame: { id: 'a1', action: 'LIST_PENDING_MESSAGES' } });
    const reply = gzipSync(Buffer.from(JSON.stringify({ id: 'a1', action: 'CREATE_MESSAGE', error: { status: 202, code: 7001, desciption: 'Blaze timeout' } })));
    assert.deepEqual(decodeBlazeFrame(reply), { ok: true, frame: { id: 'a1', action: 'CREATE_MESSAGE', error: { code: 7001, description: 'Blaze timeout' } } });
    assert.equal(decodeBlazeFrame(Buffer.from('{"id":"x"}')).ok, false, 'uncompressed JSON');
    assert.equal(decodeBlazeFrame(gzipSync(Buffer.from('not json'))).ok, false);
    assert.equal(decodeBlazeFrame(gzipSync(Buffer.from('[1,2]'))).ok, false);
    const bomb = gzipSync(Buffer.alloc(MAX_BLAZE_JSON_BYTES + 1024, 0x20));
    assert.ok(bomb.length < 64 * 1024, 'a small frame');
    const decoded = decodeBlazeFrame(bomb);
    assert.equal(decoded.ok, false);
    assert.match(decoded.ok ? '' : decoded.problem, /expands past/);
  });

  it('the contact conversation id is the same from both sides, a version-3 RFC 4122 UUID', () => {
    const a = '773e5e77-4107-45c2-b648-8fc722ed77f5';
    const b = 'd0c5ef2e-35ef-4f1b-a6c2-1c5a42f09ab5';
    const id = uniqueConversationId(a, b);
    assert.equal(id, uniqueConversationId(b, a));
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const md5 = createHash('md5').update(a).update(b).digest('hex');
    assert.equal(id.replace(/-/g, '').slice(0, 12), md5.slice(0, 12), 'the md5 of min + max, untouched outside the version and variant bits');
    assert.notEqual(uniqueConversationId(a, APP_ID), id);
  });
});
