import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { parsePem, pemSecretParts } from '../../../src/extension/venues/pem';

describe('PEM armour', () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString().trim();
  const body = pem.split('\n').slice(1, -1).join('');

  it('keeps a proper PEM as it is', () => {
    const parsed = parsePem(pem);
    assert.ok(parsed.ok);
    assert.equal(parsed.pem.label, 'PRIVATE KEY');
    assert.equal(parsed.pem.text, pem);
    assert.equal(parsed.pem.body, body);
  });

  it('rebuilds a PEM pasted into a one-line box (line breaks dropped) or with literal \\n escapes', () => {
    const oneLine = pem.replace(/\n/g, '');
    const spaced = pem.replace(/\n/g, ' ');
    const escaped = pem.replace(/\n/g, '\\n');
    for (const input of [oneLine, spaced, escaped, `  ${pem}\n\n`]) {
      const parsed = parsePem(input);
      assert.ok(parsed.ok, input.slice(0, 60));
      assert.equal(parsed.pem.text, pem);
    }
  });

  it('rejects text without armour, a missing END, mismatched labels and text outside the armour', () => {
    const cases: [string, RegExp][] = [
      [body, /not a PEM/],
      [pem.replace(/-----END PRIVATE KEY-----$/, ''), /no matching END/],
      [pem.replace('END PRIVATE KEY', 'END RSA PRIVATE KEY'), /begins with "PRIVATE KEY" but ends with "RSA PRIVATE KEY"/],
      [`${pem}\n${pem}`, /outside the PEM armour/],
      [`my key: ${pem}`, /outside the PEM armour/],
      ['-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----', /body is empty/],
      [pem.replace(body.slice(10, 20), '!!!!!!!!!!'), /not base64/],
      [pem.replace(body.slice(0, 64), body.slice(0, 63)), /cut off/],
    ];
    for (const [input, problem] of cases) {
      const parsed = parsePem(input);
      assert.equal(parsed.ok, false, input.slice(0, 60));
      if (!parsed.ok) assert.match(parsed.problem, problem);
    }
  });

  it('refuses encrypted legacy PEMs and labels the caller does not take', () => {
    const encrypted = '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0011\n\nAAAA\n-----END RSA PRIVATE KEY-----';
    const e = parsePem(encrypted);
    assert.ok(!e.ok && /encrypted/.test(e.problem));
    const cert = parsePem('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----', ['PRIVATE KEY', 'RSA PRIVATE KEY']);
    assert.ok(!cert.ok && /expected "PRIVATE KEY" or "RSA PRIVATE KEY", got "CERTIFICATE"/.test(cert.problem));
  });

  it('names the body and each body line as secret parts', () => {
    const parts = pemSecretParts(pem.replace(/\n/g, ''));
    assert.ok(parts.includes(body));
    assert.ok(parts.includes(pem));
    for (const line of pem.split('\n').slice(1, -2)) assert.ok(parts.includes(line), line);
    assert.deepEqual(pemSecretParts('not a pem'), []);
  });
});
