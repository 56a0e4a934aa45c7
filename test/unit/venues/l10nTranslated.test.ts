// Issue 13 part 5 (Languages): with a translated bundle loaded into @vscode/l10n (here the
// pseudo-localized English bundle: every letter accented, placeholders kept), the texts built at
// call time come out translated: each venue's reading of a refused reply, the core's connection and
// send failures, the account form's checks and the inbox's order and preview words. What the venue
// said (its words, codes, HTTP status, ids) goes in untouched. The descriptors' labels are module
// constants, built once after l10nSetup in the product: every one of them is a bundle key.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as l10n from '@vscode/l10n';
import { getL10nPseudoLocalized } from '@vscode/l10n-dev';
import { statusFailure, transportFailure } from '../../../src/extension/core/connection/httpFailure';
import { replyOf } from '../../../src/extension/core/connection/httpReply';
import { DownloadError } from '../../../src/extension/core/download/downloadError';
import { downloadErrorText } from '../../../src/extension/core/download/downloadErrorText';
import { checkCredentialValues, checkEndpoint } from '../../../src/extension/venues/accountInput';
import { venueErrorFromCode as binanceError } from '../../../src/extension/venues/binance/api';
import { bybitReplies } from '../../../src/extension/venues/bybit/api';
import { checkKeyShape } from '../../../src/extension/venues/keyShape';
import { venueErrorFromCode as mexcError } from '../../../src/extension/venues/mexc/api';
import { mixinReplies } from '../../../src/extension/venues/mixin/api';
import { checkMixinKeystore } from '../../../src/extension/venues/mixin/keystore';
import { multiwaReplies } from '../../../src/extension/venues/multiwa/api';
import { parsePem } from '../../../src/extension/venues/pem';
import { VENUES } from '../../../src/extension/venues/registry';
import { isVenueError, type VenueError } from '../../../src/extension/venues/venue';
import { orderStateText, orderSummaryText } from '../../../src/shared/orderText';
import { previewText } from '../../../src/shared/messagePreview';
import type { ChatMessage, OrderContext } from '../../../src/shared/model';

const root = join(__dirname, '..', '..', '..', '..');
const english = JSON.parse(readFileSync(join(root, 'l10n/bundle.l10n.json'), 'utf8')) as Parameters<typeof getL10nPseudoLocalized>[0];
const pseudoBundle = getL10nPseudoLocalized(english);
const pseudo = pseudoBundle as Record<string, string | { message: string }>;
const NOW = Date.UTC(2026, 0, 1);

/** The pseudo-localized text of a bundle key, placeholders filled in. */
function expected(key: string, ...args: Array<string | number>): string {
  const entry = pseudo[key];
  assert.ok(entry !== undefined, `the bundle has ${JSON.stringify(key)}`);
  const template = typeof entry === 'string' ? entry : entry.message;
  return template.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));
}

/**
 * Every word of `text` is translated: with the venue's own words (`kept`) taken out, no run of two
 * plain ASCII letters is left (the pseudo bundle accents every letter it translates).
 */
function assertTranslated(text: string, ...kept: string[]): void {
  let rest = text;
  for (const k of kept) {
    assert.ok(rest.includes(k), `${JSON.stringify(text)} keeps ${JSON.stringify(k)} as the venue said it`);
    rest = rest.split(k).join(' ');
  }
  assert.doesNotMatch(rest, /[A-Za-z]{2,}/, `${JSON.stringify(text)} is translated (apart from ${JSON.stringify(kept)})`);
}

function thrown(fn: () => unknown): VenueError {
  try {
    fn();
  } catch (err) {
    assert.ok(isVenueError(err), `a VenueError, not ${String(err)}`);
    return err;
  }
  assert.fail('expected a VenueError');
}

const json = (status: number, body: unknown) => replyOf(status, { 'content-type': 'application/json' }, Buffer.from(JSON.stringify(body), 'utf8'));

describe('l10n: texts built at call time come out in the configured language', () => {
  before(() => l10n.config({ contents: pseudoBundle }));
  // Other suites in this bundle expect English.
  after(() => l10n.config({ contents: {} }));

  it('MEXC: a refused signature keeps MEXC\'s words and code in a translated sentence', () => {
    const err = mexcError(700002, 'Signature for this request is not valid.', 400);
    assert.equal(err.kind, 'auth');
    assert.equal(err.venueCode, 700002);
    assert.equal(err.message, expected('MEXC rejected the signature ({0}). Check the secret key.', 'Signature for this request is not valid.'));
    assertTranslated(err.message, 'Signature for this request is not valid.');
  });

  it('Binance: an unknown refusal is "Binance: <its words>" with the prefix translated, a refused key a whole sentence', () => {
    const key = binanceError(-2015, 'Invalid API-key, IP, or permissions for action.', 401);
    assert.equal(key.kind, 'auth');
    assertTranslated(key.message, 'Invalid API-key, IP, or permissions for action.');
    const silent = binanceError(-9000, '', 400);
    assert.equal(silent.message, expected('Binance: {0}', expected("code {0}/Stands in for the venue's own words when it gave none; {0} is its error code.", -9000)));
    assertTranslated(silent.message, '-9000');
  });

  it('Bybit: the reply parser reads a refused signature as a translated auth error with Bybit\'s words', () => {
    const err = thrown(() => bybitReplies.personalInfo(json(200, { retCode: 10004, retMsg: 'error sign! origin_string[...]', result: {} }), NOW));
    assert.equal(err.kind, 'auth');
    assert.equal(err.venueCode, 10004);
    assert.equal(err.message, expected("Bybit rejected the signature{0}. Check the secret or the RSA private key./{0} is empty, or Bybit's own words in parentheses.", ' (error sign! origin_string[...])'));
    assertTranslated(err.message, 'error sign! origin_string[...]');
  });

  it('Mixin: the reply parser reads a 403 error envelope as a translated refusal with Mixin\'s words', () => {
    const err = thrown(() => mixinReplies.user(json(202, { error: { status: 202, code: 403, description: 'Forbidden.' } }), '/users/abc', ''));
    assert.equal(err.kind, 'rejected');
    assertTranslated(err.message, 'Forbidden.');
    const server = thrown(() => mixinReplies.user(json(202, { error: { status: 202, code: 500, description: 'Internal Server Error.' } }), '/users/abc', ''));
    assertTranslated(server.message, 'Internal Server Error.', '500');
  });

  it('MultiWA: the reply parser reads a 403 as a translated sentence with the gateway\'s words', () => {
    const err = thrown(() => multiwaReplies.profiles(json(403, { message: 'Profile belongs to another organization' }), NOW, () => undefined));
    assert.equal(err.kind, 'auth');
    assertTranslated(err.message, 'Profile belongs to another organization', '403');
    const daily = thrown(() => multiwaReplies.profiles(json(429, { error: 'DAILY_LIMIT_REACHED', count: 1000, limit: 1000 }), NOW, () => undefined));
    assert.equal(daily.kind, 'rate-limit');
    assertTranslated(daily.message, '1000');
  });

  it('core: connection and HTTP failures are translated, the venue, request and status kept', () => {
    const ctx = { venue: 'MEXC', method: 'POST', path: '/api/v3/chat', idempotent: false };
    const timedOut = transportFailure(ctx, { mayHaveLeft: true, timedOut: true, timeoutMs: 30000, aborted: false, cause: new Error('timeout') });
    assert.equal(timedOut.kind, 'unknown-outcome');
    assertTranslated(timedOut.message, 'MEXC', 'POST /api/v3/chat');
    const refused = transportFailure(ctx, { mayHaveLeft: false, timedOut: false, timeoutMs: 30000, aborted: false, cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    assert.equal(refused.kind, 'unavailable');
    assertTranslated(refused.message, 'MEXC', 'POST /api/v3/chat');
    const busy = statusFailure(ctx, json(503, {}), { now: NOW, retryAfterCapMs: 60000, defaultRetryAfterMs: 1000, detail: 'Service busy' });
    assert.ok(busy);
    assertTranslated(busy.message, 'MEXC', 'POST /api/v3/chat', '503', 'Service busy');
    const download = downloadErrorText(new DownloadError({ reason: 'http-status', status: 403 }));
    assertTranslated(download, '403');
  });

  it('the account form: credential checks, endpoint checks, PEM and keystore problems are translated', () => {
    const shape = checkKeyShape('has a space');
    assert.ok(shape);
    assertTranslated(shape);
    const mexc = VENUES.find((d) => d.id === 'mexc')!;
    const pair = checkCredentialValues(mexc, { apiKey: 'abcdef0123456789', secretKey: 'mx0vglKEYvalue1234' });
    assert.equal(pair.ok, false);
    assert.ok(!pair.ok);
    assertTranslated(pair.problem);
    const same = checkCredentialValues(mexc, { apiKey: 'mx0abcdef012345', secretKey: 'mx0abcdef012345' });
    assert.ok(!same.ok);
    assertTranslated(same.problem);
    const url = checkEndpoint('ftp://example.com/x', false);
    assert.ok(url);
    assertTranslated(url, 'ftp://example.com/x', 'ftp:');
    const pem = parsePem('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----');
    assert.ok(!pem.ok);
    assertTranslated(pem.problem, '"PRIVATE KEY"', '"RSA PRIVATE KEY"');
    const keystore = checkMixinKeystore('{"app_id": "x"}');
    assert.ok(keystore);
    assertTranslated(keystore, 'session_id, session_private_key, server_public_key');
  });

  it('the inbox: order states, the order summary and message previews are translated', () => {
    const order: OrderContext = { orderNo: '42', side: 'sell', state: 'paid', venueState: 'BUYER_PAYED', asset: 'USDT', quantity: '375.99', fiat: 'EUR', fiatAmount: '349.68', price: '0.93' };
    assertTranslated(orderStateText(order));
    assertTranslated(orderStateText({ state: 'unknown', venueState: 'ODD_STATE' }), 'ODD_STATE');
    assertTranslated(orderSummaryText(order), '375.99 USDT', '349.68 EUR', '0.93 EUR/USDT', '42');
    const image = { kind: 'image', text: '', attachments: [{ kind: 'image', name: 'receipt.png' }] } as unknown as ChatMessage;
    assertTranslated(previewText(image), 'receipt.png');
  });
});

describe('l10n: the account form texts are bundle keys', () => {
  it('every venue descriptor label, hint, description and group is in the bundle (translated when loaded after l10nSetup)', () => {
    const texts = new Set<string>();
    for (const d of VENUES) {
      for (const f of d.credentialFields) {
        texts.add(f.label);
        if (f.hint) texts.add(f.hint);
        for (const o of f.options ?? []) [o.label, o.description].forEach((t) => t && texts.add(t));
      }
      for (const e of d.endpoints) [e.label, e.hint].forEach((t) => t && texts.add(t));
      for (const p of d.endpointPresets) [p.label, p.group].forEach((t) => t && texts.add(t));
      for (const s of d.settings) {
        [s.label, s.description].forEach((t) => t && texts.add(t));
        for (const o of s.options ?? []) [o.label, o.description].forEach((t) => t && texts.add(t));
      }
    }
    // Protocol and product names stay as they are.
    const untranslated = new Set(['Socket.IO']);
    // Bybit's regional presets are "<region> (<host>)": the region is the key.
    const keys = new Set(Object.keys(english).map((k) => (typeof english[k] === 'string' ? k : (english[k] as { message: string }).message)));
    const missing = [...texts].filter((t) => !untranslated.has(t) && !keys.has(t) && !keys.has(t.replace(/ \([\w.-]+\)$/, '')));
    assert.deepEqual(missing, []);
    assert.ok(texts.size > 30, `the descriptors have their form texts (${texts.size})`);
  });
});
