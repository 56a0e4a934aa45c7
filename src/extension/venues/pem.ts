import * as l10n from '@vscode/l10n';
// PEM text as users paste it: from a file (proper lines), into a one-line input box (the browser
// drops the line breaks), or copied from JSON or an .env file (literal "\n" escapes). All three
// are rebuilt into canonical PEM: the armour lines and the base64 body in 64-character lines.

const ARMOUR = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END ([A-Z0-9 ]+)-----/;

export interface Pem {
  /** The armour label, e.g. `PRIVATE KEY` or `RSA PRIVATE KEY`. */
  readonly label: string;
  /** The base64 body without whitespace. */
  readonly body: string;
  /** Canonical text: armour on its own lines, the body wrapped at 64 characters. */
  readonly text: string;
}

export type PemResult = { readonly ok: true; readonly pem: Pem } | { readonly ok: false; readonly problem: string };

/** Parses PEM text; `labels` restricts which armour labels are accepted. */
export function parsePem(raw: string, labels?: readonly string[]): PemResult {
  const input = raw.replace(/\\r\\n|\\n|\\r/g, '\n').trim();
  const match = ARMOUR.exec(input);
  if (!match) {
    if (/-----BEGIN /.test(input)) return { ok: false, problem: l10n.t('the PEM has a BEGIN line but no matching END line') };
    return { ok: false, problem: l10n.t('not a PEM: it must start with a "-----BEGIN …-----" line and end with an "-----END …-----" line') };
  }
  const [whole, begin, rawBody, end] = match as unknown as [string, string, string, string];
  if (begin !== end) return { ok: false, problem: l10n.t('the PEM begins with "{0}" but ends with "{1}"', begin, end) };
  if (input.replace(whole, '').trim() !== '') return { ok: false, problem: l10n.t('there is text outside the PEM armour (paste one key only)') };
  if (labels && !labels.includes(begin)) return { ok: false, problem: expectedLabels(labels, begin) };
  // Encrypted legacy PEMs carry `Proc-Type:` / `DEK-Info:` headers: we cannot use a key that needs a passphrase.
  if (/Proc-Type:|DEK-Info:/.test(rawBody)) return { ok: false, problem: l10n.t('the key is encrypted (it has PEM headers); export it without a passphrase') };
  const body = rawBody.replace(/\s+/g, '');
  if (body.length === 0) return { ok: false, problem: l10n.t('the PEM body is empty') };
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body) || body.length % 4 !== 0) return { ok: false, problem: l10n.t('the PEM body is not base64 (was part of it cut off?)') };
  const lines = body.match(/.{1,64}/g) ?? [];
  return { ok: true, pem: { label: begin, body, text: [`-----BEGIN ${begin}-----`, ...lines, `-----END ${begin}-----`].join('\n') } };
}

/** The problem with an armour label the caller does not take (one message for each count of labels it does). */
function expectedLabels(labels: readonly string[], got: string): string {
  if (labels.length === 1) return l10n.t({ message: 'expected "{0}", got "{1}"', args: [labels[0]!, got], comment: ['PEM armour labels, e.g. PRIVATE KEY.'] });
  if (labels.length === 2) return l10n.t({ message: 'expected "{0}" or "{1}", got "{2}"', args: [labels[0]!, labels[1]!, got], comment: ['PEM armour labels, e.g. PRIVATE KEY.'] });
  return l10n.t({ message: 'expected one of {0}, got "{1}"', args: [labels.map((l) => `"${l}"`).join(', '), got], comment: ['{0} lists PEM armour labels, e.g. "PRIVATE KEY", "RSA PRIVATE KEY".'] });
}

/** Substrings of a PEM worth redacting on their own: the body in one piece and each body line. */
export function pemSecretParts(text: string): string[] {
  const parsed = parsePem(text);
  if (!parsed.ok) return [];
  const lines = parsed.pem.text.split('\n').slice(1, -1);
  return [parsed.pem.body, parsed.pem.text, ...lines.filter((l) => l.length >= 16)];
}
