import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { Redactor } from '../../../src/extension/core/redact';
import {
  applySettings,
  checkCredentialValues,
  checkEndpoint,
  checkSettingValue,
  resolveEndpoints,
  resolveSettings,
  secretValuesOf,
} from '../../../src/extension/venues/accountInput';
import { venueDescriptor, VENUES, VenueLoader } from '../../../src/extension/venues/registry';
import { VenueError } from '../../../src/extension/venues/venue';
import type { AdapterContext } from '../../../src/extension/venues/descriptor';
import { venueBundleDir } from '../helpers/distBundles';

const mexc = venueDescriptor('mexc');
const bybit = venueDescriptor('bybit');
const multiwa = venueDescriptor('multiwa');
const mixin = venueDescriptor('mixin');
const binance = venueDescriptor('binance');

const MEXC_KEY = 'mx0vglAbCdEfGhIjKlMnOpQrStUvWxYz01';
const MEXC_SECRET = '45d0b3c26f2644f19bfb98b07741b2f5';

function rsaPem(): string {
  return generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString().trim();
}

function problemOf(result: { ok: boolean; problem?: string }): string {
  return result.ok ? 'accepted' : (result.problem ?? '');
}

describe('account form: venue descriptors', () => {
  it('are well-formed: conditions name choice fields, presets name endpoints, defaults pass their own checks', () => {
    for (const v of VENUES) {
      const keys = v.credentialFields.map((f) => f.key);
      assert.equal(new Set(keys).size, keys.length, `${v.id}: duplicate field`);
      for (const f of v.credentialFields) {
        if (f.kind === 'choice') assert.ok((f.options ?? []).length > 1, `${v.id}.${f.key}: a choice needs options`);
        if (!f.showWhen) continue;
        const on = v.credentialFields.find((x) => x.key === f.showWhen!.field);
        assert.equal(on?.kind, 'choice', `${v.id}.${f.key} depends on a choice`);
        for (const value of f.showWhen.is) assert.ok(on!.options!.some((o) => o.value === value), `${v.id}.${f.key}: ${value}`);
      }
      const endpointKeys = new Set(v.endpoints.map((e) => e.key));
      for (const p of v.endpointPresets) {
        for (const [k, url] of Object.entries(p.endpoints)) {
          assert.ok(endpointKeys.has(k), `${v.id} preset ${p.id}: unknown endpoint ${k}`);
          assert.equal(checkEndpoint(url, false), undefined, `${v.id} preset ${p.id}: ${url}`);
        }
      }
      for (const s of v.settings) assert.equal(checkSettingValue(s, s.default), undefined, `${v.id}.${s.key} default`);
    }
  });

  it('lists every venue, and every one can be added in this version', () => {
    assert.deepEqual(VENUES.map((v) => v.id).sort(), ['binance', 'bybit', 'mexc', 'mixin', 'multiwa']);
    assert.deepEqual(VENUES.filter((v) => v.supported).map((v) => v.id), ['mexc', 'binance', 'bybit', 'multiwa', 'mixin']);
    // The adapters come from their venue bundles, as in the extension: errors cross bundles.
    const loader = VenueLoader.fromDirectory(venueBundleDir());
    const createAdapter = loader.createAdapter.bind(loader);
    const values = new Map<string, unknown>();
    const ctx: AdapterContext = {
      accountId: 'acc-1',
      credentials: { apiKey: MEXC_KEY, secretKey: MEXC_SECRET },
      endpoints: { rest: 'http://127.0.0.1:1', ws: 'ws://127.0.0.1:1/ws' },
      settings: {},
      state: { get: (k) => values.get(k), set: async (k, v) => void values.set(k, v), delete: async (k) => void values.delete(k) },
      redactor: new Redactor(),
      options: {},
    };
    const adapter = createAdapter('mexc', ctx);
    assert.equal(adapter.accountId, 'acc-1');
    adapter.dispose();
    const binanceAdapter = createAdapter('binance', { ...ctx, accountId: 'acc-3', endpoints: { rest: 'http://127.0.0.1:1' } });
    assert.equal(binanceAdapter.venue, 'binance');
    binanceAdapter.dispose();
    assert.throws(() => createAdapter('binance', { ...ctx, credentials: { apiKey: MEXC_KEY } }), (err: unknown) => err instanceof VenueError && err.kind === 'auth' && /secretKey/.test(err.message));
    assert.throws(() => createAdapter('mixin', { ...ctx, accountId: 'acc-2' }), (err: unknown) => err instanceof VenueError && err.kind === 'auth' && /keystore/.test(err.message));
    const keystore = JSON.stringify({ app_id: '7e0b0ab3-6a0f-4c8d-9c3e-1c3c6f9e2a11', session_id: '1d8f3c2e-5b4a-4f6e-8a9d-0c1b2a3d4e5f', session_private_key: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', server_public_key: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a' });
    const mixinAdapter = createAdapter('mixin', { ...ctx, accountId: 'acc-5', credentials: { keystore }, endpoints: { rest: 'http://127.0.0.1:1', blaze: 'ws://127.0.0.1:1/' } });
    assert.equal(mixinAdapter.venue, 'mixin');
    mixinAdapter.dispose();
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const bybitAdapter = createAdapter('bybit', { ...ctx, accountId: 'acc-4', credentials: { keyType: 'rsa', apiKey: MEXC_KEY, privateKey: rsa.replace(/\n/g, ' ') }, endpoints: { rest: 'http://127.0.0.1:1' }, settings: { chatMode: 'session' } });
    assert.equal(bybitAdapter.venue, 'bybit');
    bybitAdapter.dispose();
    assert.throws(() => createAdapter('bybit', { ...ctx, credentials: { keyType: 'hmac', apiKey: MEXC_KEY } }), (err: unknown) => err instanceof VenueError && err.kind === 'auth' && /secret/.test(err.message));
  });
});

describe('account form: credentials', () => {
  it('accepts MEXC keys (trimmed) and catches swapped, doubled and broken ones', () => {
    const ok = checkCredentialValues(mexc, { apiKey: ` ${MEXC_KEY} `, secretKey: MEXC_SECRET });
    assert.ok(ok.ok);
    assert.deepEqual(ok.value, { apiKey: MEXC_KEY, secretKey: MEXC_SECRET });
    assert.match(problemOf(checkCredentialValues(mexc, { apiKey: MEXC_SECRET, secretKey: MEXC_KEY })), /swapped/);
    assert.match(problemOf(checkCredentialValues(mexc, { apiKey: MEXC_KEY, secretKey: MEXC_KEY })), /same value/);
    assert.match(problemOf(checkCredentialValues(mexc, { apiKey: MEXC_KEY })), /Secret key is required/);
    assert.match(problemOf(checkCredentialValues(mexc, { apiKey: 'mx0 vgl 123456', secretKey: MEXC_SECRET })), /spaces/);
    assert.match(problemOf(checkCredentialValues(mexc, { apiKey: `"${MEXC_KEY}"`, secretKey: MEXC_SECRET })), /quotes/);
    assert.match(problemOf(checkCredentialValues(mexc, { apiKey: 'mx0', secretKey: MEXC_SECRET })), /too short/);
    assert.match(problemOf(checkCredentialValues(mexc, { apiKey: MEXC_KEY, secretKey: MEXC_SECRET, secret: 'x' })), /no credential field "secret"/);
  });

  it('Bybit HMAC: the secret is a line, and the RSA field does not apply', () => {
    const r = checkCredentialValues(bybit, { keyType: 'hmac', apiKey: 'XXXXXXXXXXXXXXXXXX', secret: 'YYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYY', privateKey: 'ignored' });
    assert.ok(r.ok, problemOf(r));
    assert.deepEqual(Object.keys(r.value).sort(), ['apiKey', 'keyType', 'secret']);
    assert.match(problemOf(checkCredentialValues(bybit, { keyType: 'hmac', apiKey: 'XXXXXXXXXXXXXXXXXX' })), /API secret is required/);
    assert.match(problemOf(checkCredentialValues(bybit, { keyType: 'ecdsa', apiKey: 'XXXXXXXXXXXXXXXXXX' })), /Key type must be one of hmac, rsa/);
    assert.match(problemOf(checkCredentialValues(bybit, { apiKey: 'XXXXXXXXXXXXXXXXXX' })), /Key type is required/);
  });

  it('Bybit RSA: takes an RSA private key pasted on one line and stores it as canonical PEM; refuses other keys', () => {
    const pem = rsaPem();
    const r = checkCredentialValues(bybit, { keyType: 'rsa', apiKey: 'XXXXXXXXXXXXXXXXXX', privateKey: pem.replace(/\n/g, '') });
    assert.ok(r.ok, problemOf(r));
    assert.equal(r.value.privateKey, pem);
    assert.equal(r.value.secret, undefined);
    const ed = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    assert.match(problemOf(checkCredentialValues(bybit, { keyType: 'rsa', apiKey: 'XXXXXXXXXXXXXXXXXX', privateKey: ed })), /ed25519 key; Bybit takes RSA keys/);
    const pub = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'pem', type: 'spki' }).toString();
    assert.match(problemOf(checkCredentialValues(bybit, { keyType: 'rsa', apiKey: 'XXXXXXXXXXXXXXXXXX', privateKey: pub })), /got "PUBLIC KEY"/);
    assert.match(problemOf(checkCredentialValues(bybit, { keyType: 'rsa', apiKey: 'XXXXXXXXXXXXXXXXXX', privateKey: pem.slice(0, 200) })), /RSA private key: the PEM has a BEGIN line but no matching END line/);
    assert.match(problemOf(checkCredentialValues(bybit, { keyType: 'hmac', apiKey: 'XXXXXXXXXXXXXXXXXX', secret: pem.replace(/\n/g, '') })), /choose the RSA key type/);
  });

  it('MultiWA: an API key or an e-mail login, whichever was chosen', () => {
    assert.ok(checkCredentialValues(multiwa, { authMethod: 'apiKey', apiKey: 'mwa_0123456789' }).ok);
    const login = checkCredentialValues(multiwa, { authMethod: 'login', email: 'desk@example.com', password: 'correct horse' });
    assert.ok(login.ok);
    assert.match(problemOf(checkCredentialValues(multiwa, { authMethod: 'login', email: 'desk', password: 'pw123456' })), /not an e-mail/);
    assert.match(problemOf(checkCredentialValues(multiwa, { authMethod: 'login', email: 'desk@example.com' })), /Password is required/);
  });

  it('Mixin: the keystore must be JSON with the venue\'s fields, and is stored compact', () => {
    const seed = Buffer.from(generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }).d!, 'base64url');
    const server = Buffer.from(generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!, 'base64url');
    const keystore = { app_id: randomUUID(), session_id: randomUUID(), session_private_key: seed.toString('hex'), server_public_key: server.toString('hex') };
    const r = checkCredentialValues(mixin, { keystore: JSON.stringify(keystore, null, 2) });
    assert.ok(r.ok, problemOf(r));
    assert.equal(r.value.keystore, JSON.stringify(keystore));
    assert.match(problemOf(checkCredentialValues(mixin, { keystore: '{"app_id": ' })), /Bot keystore: not JSON/);
    assert.match(problemOf(checkCredentialValues(mixin, { keystore: JSON.stringify({ ...keystore, session_private_key: 'abc' }) })), /Bot keystore: session_private_key/);
  });

  it('registers secret fields and their parts with the redactor, never choices or e-mail addresses', () => {
    const pem = rsaPem();
    const bybitSecrets = secretValuesOf(bybit, { keyType: 'rsa', apiKey: 'XXXXXXXXXXXXXXXXXX', privateKey: pem });
    assert.ok(bybitSecrets.includes('XXXXXXXXXXXXXXXXXX') && bybitSecrets.includes(pem));
    assert.ok(!bybitSecrets.includes('rsa'));
    const redactor = new Redactor();
    for (const s of bybitSecrets) redactor.addSecret(s);
    const bodyLine = pem.split('\n')[3]!;
    const out = redactor.format(`signing failed for ${bodyLine} and ${pem.split('\n').slice(1, -1).join('')}`);
    assert.ok(!out.includes(bodyLine), out);
    const mwa = secretValuesOf(multiwa, { authMethod: 'apiKey', apiKey: 'mwa_0123456789' });
    assert.deepEqual(mwa, ['mwa_0123456789'], 'the choice value "apiKey" is not a secret (it would redact the word everywhere)');
    assert.deepEqual(secretValuesOf(multiwa, { authMethod: 'login', email: 'desk@example.com', password: 'pw-123456' }), ['pw-123456']);
    const sessionId = randomUUID();
    const keystore = JSON.stringify({ app_id: randomUUID(), session_id: sessionId, session_private_key: 'ab'.repeat(32), server_public_key: 'cd'.repeat(32) });
    assert.deepEqual(secretValuesOf(mixin, { keystore }), [keystore, sessionId, 'ab'.repeat(32)]);
  });
});

describe('account form: endpoints', () => {
  it('defaults to the first preset and takes a named one', () => {
    assert.deepEqual(resolveEndpoints(mexc, {}), { ok: true, value: { rest: 'https://api.mexc.com', ws: 'wss://wbs.p2p.mexc.com/ws' } });
    assert.deepEqual(resolveEndpoints(bybit, { preset: 'testnet' }), { ok: true, value: { rest: 'https://api-testnet.bybit.com' } });
    assert.deepEqual(resolveEndpoints(bybit, { preset: 'region-tr' }), { ok: true, value: { rest: 'https://api.bybit-tr.com' } });
    assert.match(problemOf(resolveEndpoints(bybit, { preset: 'moon' })), /no endpoint preset "moon" \(one of mainnet, .*testnet/);
    assert.match(problemOf(resolveEndpoints(binance, { endpoints: { ws: 'wss://x.example' } })), /no endpoint "ws"/);
  });

  it('overrides single URLs; plain http only for loopback or explicitly given hosts', () => {
    assert.deepEqual(resolveEndpoints(mexc, { endpoints: { rest: 'http://127.0.0.1:9000' } }), { ok: true, value: { rest: 'http://127.0.0.1:9000', ws: 'wss://wbs.p2p.mexc.com/ws' } });
    assert.equal(checkEndpoint('http://gateway.lan:3000', false)?.includes('plain http:'), true);
    assert.equal(checkEndpoint('http://gateway.lan:3000', true), undefined);
    assert.match(checkEndpoint('ftp://x.example', true) ?? '', /unsupported scheme/);
    assert.match(checkEndpoint('https://user:pw@x.example', true) ?? '', /not in the URL/);
  });

  it('requires an endpoint with no default (a self-hosted gateway) and accepts it when given', () => {
    assert.match(problemOf(resolveEndpoints(multiwa, {})), /Gateway URL is required: MultiWA \(WhatsApp gateway\) has no default/);
    assert.match(problemOf(resolveEndpoints(multiwa, { endpoints: { baseUrl: '  ' } })), /Gateway URL is required/);
    assert.deepEqual(resolveEndpoints(multiwa, { endpoints: { baseUrl: 'http://192.168.1.20:3000' } }), { ok: true, value: { baseUrl: 'http://192.168.1.20:3000' } });
    assert.match(problemOf(resolveEndpoints(multiwa, { endpoints: { baseUrl: 'gateway' } })), /not a URL/);
  });
});

describe('account form: settings', () => {
  it('fills defaults and falls back from stored values that no longer check', () => {
    assert.deepEqual(resolveSettings(bybit), { chatMode: 'auto' });
    assert.deepEqual(resolveSettings(bybit, { chatMode: 'session' }), { chatMode: 'session' });
    assert.deepEqual(resolveSettings(bybit, { chatMode: 'carrier-pigeon', stale: 1 }), { chatMode: 'auto' });
    assert.deepEqual(resolveSettings(mexc, { anything: true }), {});
  });

  it('applies checked changes and refuses unknown names and bad values', () => {
    assert.deepEqual(applySettings(multiwa, {}, { transport: 'websocket' }), { ok: true, value: { profileId: '', transport: 'websocket' } });
    assert.deepEqual(applySettings(multiwa, {}, { profileId: 'clx1abc-profile' }), { ok: true, value: { profileId: 'clx1abc-profile', transport: 'auto' } });
    assert.match(problemOf(applySettings(multiwa, {}, { profileId: 'a b<script>' })), /not a profile id/);
    assert.match(problemOf(applySettings(multiwa, {}, { profileId: 42 })), /text of at most 200/);
    assert.match(problemOf(applySettings(multiwa, {}, { transport: 'pigeon' })), /must be one of auto, socketio, websocket/);
    assert.match(problemOf(applySettings(multiwa, {}, { chatMode: 'auto' })), /no account setting "chatMode"/);
    const numeric = { key: 'n', label: 'Poll seconds', kind: 'number' as const, default: 5, min: 1, max: 60 };
    assert.equal(checkSettingValue(numeric, 5), undefined);
    assert.match(checkSettingValue(numeric, 0) ?? '', /at least 1/);
    assert.match(checkSettingValue(numeric, Number.NaN) ?? '', /a number/);
    assert.match(checkSettingValue({ key: 'b', label: 'Flag', kind: 'boolean', default: false }, 'yes') ?? '', /true or false/);
  });
});
