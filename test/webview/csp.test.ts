import * as assert from 'node:assert/strict';
import { chatPanelHtml, contentSecurityPolicy, normaliseMediaOrigin, partitionMediaOrigins } from '../../src/shared/chatHtml';
import { MINUTE, T0, message } from './fixtures';
import { webviewSuite } from './suite';

const NONCE = 'cmFuZG9tLW5vbmNlLTEyMzQ1Ng==';
const VSCODE_CSP_SOURCE = "'self' https://*.vscode-cdn.net";

describe('chatPanelHtml', () => {
  it('builds the strict policy', () => {
    assert.equal(
      contentSecurityPolicy({ cspSource: VSCODE_CSP_SOURCE, nonce: NONCE, mediaOrigins: ['https://*.mexc.com', 'http://127.0.0.1:8443'] }),
      [
        "default-src 'none'",
        `script-src 'nonce-${NONCE}'`,
        `style-src ${VSCODE_CSP_SOURCE} 'nonce-${NONCE}'`,
        `font-src ${VSCODE_CSP_SOURCE}`,
        `img-src ${VSCODE_CSP_SOURCE} data: blob: https://*.mexc.com http://127.0.0.1:8443`,
        'media-src https://*.mexc.com http://127.0.0.1:8443',
        "connect-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
      ].join('; '),
    );
    assert.match(contentSecurityPolicy({ cspSource: VSCODE_CSP_SOURCE, nonce: NONCE, mediaOrigins: [] }), /media-src 'none'/);
    // Media a venue sent inline is saved by the host and played from the extension's resources.
    assert.match(contentSecurityPolicy({ cspSource: VSCODE_CSP_SOURCE, nonce: NONCE, mediaOrigins: [], localMedia: true }), new RegExp(`media-src ${VSCODE_CSP_SOURCE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')};`));
  });

  it('escapes every interpolated value', () => {
    const html = chatPanelHtml({
      cspSource: VSCODE_CSP_SOURCE,
      nonce: NONCE,
      scriptUri: 'https://x.vscode-cdn.net/dist/webview.js?"><script>alert(1)</script>',
      styleUris: ['https://x.vscode-cdn.net/media/chat.css"><script>alert(2)</script>'],
      mediaOrigins: [],
      title: '</title><script>alert(3)</script>&',
    });
    assert.equal((html.match(/<script/g) ?? []).length, 1, 'only the real script tag');
    assert.ok(html.includes('<title>&lt;/title&gt;&lt;script&gt;alert(3)&lt;/script&gt;&amp;</title>'));
    assert.ok(html.includes('src="https://x.vscode-cdn.net/dist/webview.js?&quot;&gt;&lt;script&gt;'));
    assert.ok(html.includes(`content="default-src &#39;none&#39;; script-src &#39;nonce-${NONCE}&#39;`));
    assert.ok(html.includes(`<meta property="csp-nonce" content="${NONCE}">`));
    assert.ok(html.includes('<div id="app" class="app"></div>'));
  });

  it('escapes the translations and keeps the language a language tag', () => {
    const base = { cspSource: VSCODE_CSP_SOURCE, nonce: NONCE, scriptUri: 'https://x.vscode-cdn.net/dist/webview.js', styleUris: [], mediaOrigins: [], title: 't' };
    const html = chatPanelHtml({ ...base, language: 'de', l10nBundle: { Send: '"><script>alert(1)</script>', 'Retry/comment': { message: "'><img src=x onerror=alert(2)>", comment: ['c'] } } });
    assert.equal((html.match(/<script/g) ?? []).length, 1, 'only the real script tag');
    assert.ok(!html.includes('<img'), 'no markup from a translation');
    assert.ok(html.startsWith('<!DOCTYPE html>\n<html lang="de">'));
    const attribute = /data-l10n="([^"]*)"/.exec(html)?.[1] ?? '';
    const unescaped = attribute.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    assert.deepEqual(JSON.parse(unescaped), { Send: '"><script>alert(1)</script>', 'Retry/comment': { message: "'><img src=x onerror=alert(2)>", comment: ['c'] } });
    for (const bad of ['en"><script>alert(3)</script>', 'de de', '', '../x', 'x'.repeat(9)]) {
      assert.ok(chatPanelHtml({ ...base, language: bad }).includes('<html lang="en">'), `${JSON.stringify(bad)} becomes en`);
    }
    for (const good of ['zh-cn', 'pt-br', 'qps-ploc']) assert.ok(chatPanelHtml({ ...base, language: good }).includes(`<html lang="${good}">`));
  });

  it('refuses weak nonces and sources that would widen the policy; drops bad media origins', () => {
    const base = { cspSource: VSCODE_CSP_SOURCE, nonce: NONCE, scriptUri: 's', styleUris: [], mediaOrigins: [], title: 't' };
    assert.throws(() => chatPanelHtml({ ...base, nonce: 'short' }), /nonce/);
    assert.throws(() => chatPanelHtml({ ...base, nonce: `${NONCE}' 'unsafe-inline` }), /nonce/);
    assert.throws(() => chatPanelHtml({ ...base, cspSource: "'unsafe-inline'" }), /cspSource/);
    assert.throws(() => chatPanelHtml({ ...base, cspSource: 'https://x; script-src *' }), /cspSource/);
    const { accepted, rejected } = partitionMediaOrigins([
      'https://*.mexc.com',
      'http://[::1]:8080',
      'https://cdn.example.com:8443',
      "https://x.example; script-src 'unsafe-inline'",
      "'unsafe-eval'",
      'javascript:alert(1)',
      'https://a.example/path',
      '*',
    ]);
    assert.deepEqual(accepted, ['https://*.mexc.com', 'http://[::1]:8080', 'https://cdn.example.com:8443']);
    assert.equal(rejected.length, 5);
    const policy = contentSecurityPolicy({ cspSource: VSCODE_CSP_SOURCE, nonce: NONCE, mediaOrigins: ["https://x.example; script-src 'unsafe-inline'"] });
    assert.ok(!policy.includes('unsafe'), 'a bad origin never reaches the policy');
    assert.equal(normaliseMediaOrigin('https://CDN.example.com/some/path?q=1'), 'https://cdn.example.com');
    assert.equal(normaliseMediaOrigin('ftp://x.example'), undefined);
  });
});

describe('webview CSP in the browser', () => {
  const suite = webviewSuite();

  it('runs only nonce-carrying scripts and blocks eval, network and inline styles', async () => {
    const chat = await suite.openWith({ messages: [message({ id: 'm1' })] });
    const result = await chat.page.evaluate(async () => {
      const w = window as unknown as Record<string, unknown>;
      const nonce = document.querySelector<HTMLScriptElement>('script[nonce]')?.nonce ?? '';
      const add = (code: string, withNonce?: string): void => {
        const script = document.createElement('script');
        if (withNonce !== undefined) script.nonce = withNonce;
        script.textContent = code;
        document.body.append(script);
      };
      add('window.__inlineNoNonce = 1');
      add('window.__inlineWrongNonce = 1', 'd3Jvbmctbm9uY2UtMTIzNDU2Nzg=');
      add('window.__inlineRightNonce = 1', nonce); // positive control: the probe can see a script run
      const handler = document.createElement('img');
      handler.setAttribute('onerror', 'window.__handler = 1');
      handler.src = 'data:,broken';
      document.body.append(handler);
      // From a timer, not synchronously: code run inside a DevTools-protocol evaluation may eval.
      await new Promise<void>((resolve) =>
        setTimeout(() => {
          add("try { eval('1'); window.__evalRan = 1 } catch { window.__evalBlocked = 1 } try { new Function('return 1')(); window.__fnRan = 1 } catch {}", nonce);
          resolve();
        }, 0),
      );
      const evalBlocked = w.__evalBlocked === 1 && w.__evalRan === undefined && w.__fnRan === undefined;
      let fetchBlocked = false;
      try {
        await fetch('/dist/webview.js');
      } catch {
        fetchBlocked = true;
      }
      const style = document.createElement('style');
      style.textContent = '#app { visibility: hidden !important; }';
      document.head.append(style);
      const app = document.getElementById('app') as HTMLElement;
      app.setAttribute('style', 'opacity: 0.5');
      await new Promise((r) => setTimeout(r, 200));
      return {
        noNonce: w.__inlineNoNonce,
        wrongNonce: w.__inlineWrongNonce,
        rightNonce: w.__inlineRightNonce,
        handler: w.__handler,
        evalBlocked,
        fetchBlocked,
        visibility: getComputedStyle(app).visibility,
        opacity: getComputedStyle(app).opacity,
        meta: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '',
      };
    });
    assert.equal(result.rightNonce, 1, 'control: a script with the page nonce runs');
    assert.equal(result.noNonce, undefined, 'an inline script without the nonce does not run');
    assert.equal(result.wrongNonce, undefined, 'an inline script with a wrong nonce does not run');
    assert.equal(result.handler, undefined, 'inline event handlers do not run');
    assert.equal(result.evalBlocked, true, 'eval is blocked');
    assert.equal(result.fetchBlocked, true, "connect-src 'none' blocks fetch");
    assert.equal(result.visibility, 'visible', 'an injected <style> without the nonce is not applied');
    assert.equal(result.opacity, '1', 'a style attribute is not applied');
    assert.match(result.meta, /^default-src 'none'; script-src 'nonce-/);
  });

  it('renders every kind, with media from an allowed host, without a single CSP violation', async () => {
    const chat = await suite.open();
    await chat.page.addInitScript(() => {
      const w = window as unknown as { __violations: string[] };
      w.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
    });
    await chat.reload();
    await chat.acceptReady();
    const media = suite.server.mediaOrigin;
    const kinds = ['text', 'markdown', 'sticker', 'contact', 'location', 'card', 'buttons', 'live', 'system'] as const;
    await chat.notify('conversation/snapshot', {
      conversation: (await import('./fixtures')).CONVERSATION,
      connection: { kind: 'connecting' },
      composer: (await import('./fixtures')).MEXC_COMPOSER,
      venue: { name: 'MEXC P2P', serverHistory: false },
      messages: [
        ...kinds.map((kind, i) => message({ id: kind, kind, text: `${kind} https://x.example/${i}`, time: T0 + i * MINUTE })),
        message({ id: 'img', kind: 'image', time: T0 + 20 * MINUTE, attachments: [{ kind: 'image', url: `${media}/pixel.png`, name: 'p.png', width: 10, height: 10 }] }),
        message({ id: 'vid', kind: 'video', time: T0 + 21 * MINUTE, attachments: [{ kind: 'video', url: `${media}/hang/v.mp4` }] }),
        message({ id: 'aud', kind: 'audio', time: T0 + 22 * MINUTE, attachments: [{ kind: 'audio', url: `${media}/hang/a.ogg` }] }),
        message({ id: 'file', kind: 'file', time: T0 + 23 * MINUTE, attachments: [{ kind: 'file', url: `${media}/f.pdf`, name: 'f.pdf' }] }),
        message({ id: 'gap', kind: 'gap', direction: 'system', time: T0 + 24 * MINUTE, gap: { from: T0, to: T0 + MINUTE } }),
        message({ id: 'out', direction: 'out', status: 'sending', clientMessageId: 'abcdefgh12', time: T0 + 25 * MINUTE }),
        message({ id: 'fail', direction: 'out', status: 'failed', failure: 'rate limited', clientMessageId: 'abcdefgh13', time: T0 + 26 * MINUTE }),
      ],
    });
    await chat.page.waitForSelector('.msg');
    await chat.page.waitForFunction(() => document.querySelector<HTMLImageElement>('img.media--image')?.complete === true);
    await chat.page.locator('.composer__media-link').click();
    await chat.page.waitForTimeout(200);
    const violations = await chat.page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
    assert.deepEqual(violations, []);
  });
});
