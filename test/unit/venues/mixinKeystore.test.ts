import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { checkMixinKeystore, mixinKeystoreSecrets, parseMixinKeystore } from '../../../src/extension/venues/mixin/keystore';

function keyPair(): { seed: Buffer; pub: Buffer } {
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  return { seed: Buffer.from(jwk.d!, 'base64url'), pub: Buffer.from(jwk.x!, 'base64url') };
}

describe('Mixin keystore check', () => {
  const session = keyPair();
  const server = keyPair();
  const base = { app_id: randomUUID(), session_id: randomUUID(), server_public_key: server.pub.toString('hex') };
  const keystore = (fields: Record<string, unknown>) => JSON.stringify({ ...base, ...fields });

  it('accepts the current form: a 32-byte seed in hex', () => {
    const parsed = parseMixinKeystore(keystore({ session_private_key: session.seed.toString('hex') }));
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.problem);
    assert.ok(parsed.keystore.seed.equals(session.seed));
    assert.ok(parsed.keystore.publicKey.equals(session.pub), 'the public key is derived from the seed');
    assert.ok(parsed.keystore.serverPublicKey.equals(server.pub));
    assert.equal(parsed.keystore.appId, base.app_id);
  });

  it('accepts the older form: the 64-byte key (seed + public key) in base64url or padded base64', () => {
    const full = Buffer.concat([session.seed, session.pub]);
    for (const encoded of [full.toString('base64url'), full.toString('base64')]) {
      const parsed = parseMixinKeystore(keystore({ session_private_key: encoded, server_public_key: server.pub.toString('base64url') }));
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.problem);
      assert.ok(parsed.keystore.seed.equals(session.seed));
    }
  });

  it('rejects a 64-byte key whose second half is not the public key of its first', () => {
    const other = keyPair();
    const problem = checkMixinKeystore(keystore({ session_private_key: Buffer.concat([session.seed, other.pub]).toString('base64url') }));
    assert.match(problem ?? '', /damaged/);
  });

  it('rejects malformed keys, ids and JSON', () => {
    const cases: [string, RegExp][] = [
      ['{"app_id":', /not JSON/],
      ['[1,2]', /JSON object/],
      [keystore({ session_private_key: session.seed.toString('hex').slice(2) }), /session_private_key/],
      [keystore({ session_private_key: session.seed.subarray(0, 24).toString('base64url') }), /24 bytes/],
      [keystore({ session_private_key: 'zz'.repeat(32) }), /session_private_key/],
      [keystore({ session_private_key: 'ab+c_d' }), /session_private_key/],
      [keystore({ session_private_key: session.seed.toString('hex'), app_id: 'not-a-uuid' }), /app_id is not a UUID/],
      [keystore({ session_private_key: session.seed.toString('hex'), session_id: 42 }), /lacks session_id/],
      [keystore({ session_private_key: session.seed.toString('hex'), server_public_key: 'abcd' }), /server_public_key/],
      [JSON.stringify({ app_id: base.app_id }), /lacks session_id, session_private_key, server_public_key/],
      [JSON.stringify({ client_id: base.app_id, session_id: base.session_id, private_key: 'x', pin_token: 'y' }), /legacy RSA keystore/],
    ];
    for (const [text, problem] of cases) assert.match(checkMixinKeystore(text) ?? 'accepted', problem, text);
  });

  it('takes user_id for app_id, as some tools write it', () => {
    const { app_id, ...rest } = base;
    assert.equal(checkMixinKeystore(JSON.stringify({ ...rest, user_id: app_id, session_private_key: session.seed.toString('hex') })), undefined);
  });

  it('names the private values and the session id for the redactor, not the app id', () => {
    // The session id is half of what identifies the bot's key (the JWT's sid): a venue error that
    // quoted it reached the log (found by the secrets integration test). The app id is the bot's
    // public user id, on every message it sends.
    const spend = keyPair().seed.toString('hex');
    const text = keystore({ session_private_key: session.seed.toString('hex'), spend_private_key: spend });
    const sessionId = (JSON.parse(text) as { session_id: string }).session_id;
    const secrets = mixinKeystoreSecrets(text);
    assert.deepEqual(secrets.sort(), [session.seed.toString('hex'), spend, sessionId].sort());
    assert.deepEqual(mixinKeystoreSecrets('not json'), []);
  });
});
