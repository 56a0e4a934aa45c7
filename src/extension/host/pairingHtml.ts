// The page of the "Pair WhatsApp" panel: the QR code to scan, what to do on the phone, and the
// gateway's own words. Static HTML without scripts (a new code rewrites the page); the policy lets
// nothing load but data: images and this page's own nonce'd style. No 'vscode' here, so the page
// is tested in a browser.
import * as l10n from '@vscode/l10n';
import { revealBidiControls } from '../../shared/bidiControls';
import { escapeHtml, pageLanguage } from '../../shared/chatHtml';
import { isSafeQrDataUrl, type PairingStatus } from '../core/inbox/pairingCode';

const NONCE = /^[A-Za-z0-9+/_=-]{16,128}$/;

export interface PairingPageOptions {
  readonly nonce: string;
  /** The account's label (the user's words). */
  readonly accountLabel: string;
  readonly pairing: PairingStatus;
  /** VS Code's display language (`vscode.env.language`): the page's `lang`; not a language tag → `en`. */
  readonly language?: string;
}

export function pairingPolicy(nonce: string): string {
  if (!NONCE.test(nonce)) throw new TypeError('pairingPageHtml: the nonce must be 16-128 base64/url-safe characters');
  return ["default-src 'none'", 'img-src data:', `style-src 'nonce-${nonce}'`, "base-uri 'none'", "form-action 'none'"].join('; ');
}

export function pairingTitle(accountLabel: string): string {
  return l10n.t({ message: 'Pair WhatsApp: {0}', args: [revealBidiControls(accountLabel)], comment: ['{0} is the account\'s name, as the user typed it'] });
}

/** The QR image's source, or undefined when the code is missing or not a base64 PNG/SVG data: URL. */
export function qrImageSource(pairing: PairingStatus): string | undefined {
  return pairing.state === 'needed' && isSafeQrDataUrl(pairing.qrDataUrl) ? pairing.qrDataUrl : undefined;
}

const STYLE = `
body { font-family: var(--vscode-font-family, sans-serif); color: var(--vscode-foreground, #333); background: var(--vscode-editor-background, #fff); padding: 16px 24px; line-height: 1.5; }
h1 { font-size: 1.3em; font-weight: 600; margin: 0 0 12px; overflow-wrap: anywhere; }
.qr { display: inline-block; background: #fff; padding: 16px; border-radius: 4px; margin: 8px 0 16px; }
.qr img { display: block; width: 264px; height: 264px; image-rendering: pixelated; }
.waiting, .refused { margin: 8px 0 16px; padding: 12px; border: 1px dashed var(--vscode-panel-border, #888); max-width: 320px; }
.detail { color: var(--vscode-descriptionForeground, #666); overflow-wrap: anywhere; white-space: pre-wrap; }
.paired { font-size: 1.2em; font-weight: 600; color: var(--vscode-testing-iconPassed, #2a7d2a); }
ol { padding-inline-start: 20px; }
`;

export function pairingPageHtml(options: PairingPageOptions): string {
  const { pairing, nonce } = options;
  const policy = pairingPolicy(nonce);
  const title = escapeHtml(pairingTitle(options.accountLabel));
  let body: string;
  if (pairing.state === 'paired') {
    body = `<p class="paired" role="status">${escapeHtml(l10n.t('Paired'))}</p><p>${escapeHtml(l10n.t('WhatsApp is linked to this account. This tab closes by itself.'))}</p>`;
  } else {
    const source = qrImageSource(pairing);
    const code = source
      ? `<div class="qr"><img src="${escapeHtml(source)}" alt="${escapeHtml(l10n.t('WhatsApp pairing QR code'))}" width="264" height="264"></div>`
      : pairing.qrDataUrl !== undefined
        ? `<p class="refused" role="alert">${escapeHtml(l10n.t('The gateway sent a code that is not a PNG or SVG image, so it is not shown. Details are in the log.'))}</p>`
        : `<p class="waiting" role="status">${escapeHtml(l10n.t('Waiting for the gateway to send a QR code…'))}</p>`;
    const detail = pairing.detail ? `<p class="detail">${escapeHtml(revealBidiControls(pairing.detail))}</p>` : '';
    body = [
      code,
      `<p>${escapeHtml(l10n.t('Scan the code with the phone whose WhatsApp this account uses:'))}</p>`,
      `<ol><li>${escapeHtml(l10n.t('Open WhatsApp on your phone'))}</li><li>${escapeHtml(l10n.t({ message: 'Go to Settings → Linked devices', comment: ['Use the names WhatsApp shows in this language'] }))}</li><li>${escapeHtml(l10n.t({ message: 'Tap Link a device and point the phone at this code', comment: ['"Link a device" is the name of WhatsApp\'s button in this language'] }))}</li></ol>`,
      `<p>${escapeHtml(l10n.t('A new code replaces this one every few seconds until the phone is linked.'))}</p>`,
      detail,
    ].join('');
  }
  return `<!DOCTYPE html>
<html lang="${pageLanguage(options.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(policy)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${title}</title>
<style nonce="${escapeHtml(nonce)}">${STYLE}</style>
</head>
<body>
<main aria-live="polite">
<h1>${title}</h1>
${body}
</main>
</body>
</html>`;
}
