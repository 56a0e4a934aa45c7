// The "Pair WhatsApp" panel's page, in a real browser: a strict policy, the QR image shown only
// from a base64 PNG/SVG data: URL, the phone's steps, the gateway's words inert, "Paired" at the end.
import * as assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { pairingPageHtml, pairingPolicy, pairingTitle } from '../../src/extension/host/pairingHtml';
import { launchBrowser } from './harness';

const NONCE = 'cmFuZG9tLW5vbmNlLTEyMzQ1Ng==';
const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

describe('pairing page (Pair WhatsApp panel)', () => {
  let browser: Browser | undefined;
  const pages: Page[] = [];

  before(async function () {
    this.timeout(30_000);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    for (const page of pages.splice(0)) await page.close();
  });

  async function show(html: string): Promise<{ page: Page; violations: string[] }> {
    const page = await browser!.newPage();
    pages.push(page);
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.setContent(html, { waitUntil: 'load' });
    return { page, violations };
  }

  it('states the strict policy: nothing but data: images and its own nonce’d style', () => {
    assert.equal(pairingPolicy(NONCE), `default-src 'none'; img-src data:; style-src 'nonce-${NONCE}'; base-uri 'none'; form-action 'none'`);
    assert.throws(() => pairingPolicy('short'), /nonce/);
    assert.throws(() => pairingPolicy(`${NONCE}' 'unsafe-inline`), /nonce/);
    const html = pairingPageHtml({ nonce: NONCE, accountLabel: 'Shop phone', pairing: { state: 'needed', qrDataUrl: PNG } });
    assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; img-src data:; style-src &#39;nonce-${NONCE}&#39;`));
    assert.equal((html.match(/<script/g) ?? []).length, 0, 'no scripts at all');
  });

  it('shows the QR code, the phone’s steps and the gateway’s detail', async () => {
    const { page, violations } = await show(pairingPageHtml({ nonce: NONCE, accountLabel: 'Shop phone', pairing: { state: 'needed', qrDataUrl: PNG, detail: 'Code 3 of 5' } }));
    assert.equal(await page.title(), 'Pair WhatsApp: Shop phone');
    assert.equal(await page.locator('h1').innerText(), 'Pair WhatsApp: Shop phone');
    const img = page.locator('.qr img');
    assert.equal(await img.getAttribute('src'), PNG);
    assert.equal(await img.getAttribute('alt'), 'WhatsApp pairing QR code');
    assert.equal(await img.evaluate((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth), 1, 'the data: image loads under the policy');
    const text = await page.locator('main').innerText();
    assert.match(text, /Open WhatsApp on your phone/);
    assert.match(text, /Linked devices/);
    assert.match(text, /Link a device/);
    assert.equal(await page.locator('.detail').innerText(), 'Code 3 of 5');
    // The page's own style applies (its nonce matches): the code sits on white for the camera.
    assert.equal(await page.locator('.qr').evaluate((e) => getComputedStyle(e).backgroundColor), 'rgb(255, 255, 255)');
    assert.deepEqual(violations, []);
  });

  it('refuses a hostile or foreign data URL: no image, a plain notice instead', async () => {
    for (const bad of [
      'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
      'javascript:alert(1)',
      `${PNG}" onerror="window.__pwned=1`,
      'data:image/svg+xml,<svg onload=alert(1)>',
      'https://gateway.example/qr.png',
    ]) {
      const html = pairingPageHtml({ nonce: NONCE, accountLabel: 'Shop phone', pairing: { state: 'needed', qrDataUrl: bad } });
      assert.ok(!html.includes(bad) && !html.includes('onerror') && !html.includes('javascript:'), `the refused value is not in the page: ${bad.slice(0, 30)}`);
      const { page } = await show(html);
      assert.equal(await page.locator('img').count(), 0, bad);
      assert.match(await page.locator('.refused').innerText(), /not a PNG or SVG image, so it is not shown/);
      assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    }
  });

  it('keeps the label and the gateway’s detail inert, with bidi controls shown', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    const { page } = await show(pairingPageHtml({ nonce: NONCE, accountLabel: `Shop ${hostile}`, pairing: { state: 'needed', detail: `scan \u202Efdp.exe ${hostile}` } }));
    assert.equal(await page.locator('img, script').count(), 0);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.ok((await page.locator('h1').innerText()).includes(hostile));
    const detail = await page.locator('.detail').innerText();
    assert.ok(detail.includes(hostile));
    assert.ok(!detail.includes('\u202E'), 'the override is shown as a marker, not obeyed');
    assert.ok(!pairingTitle('a\u202Eb').includes('\u202E'));
    assert.match(await page.locator('.waiting').innerText(), /Waiting for the gateway to send a QR code/);
  });

  it('says Paired when the phone is linked, with no code left on screen', async () => {
    const { page } = await show(pairingPageHtml({ nonce: NONCE, accountLabel: 'Shop phone', pairing: { state: 'paired' } }));
    assert.equal(await page.locator('.paired').innerText(), 'Paired');
    assert.equal(await page.locator('.paired').getAttribute('role'), 'status');
    assert.equal(await page.locator('img').count(), 0);
  });
});
