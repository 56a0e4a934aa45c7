// What the secrets test looks for, and how: every secret an account was given, every value the
// venues echoed back (signatures, listen keys, JWTs: derived from a secret, or bearer credentials
// themselves), their usual encodings, and any 12-character piece of an opaque secret, so a key cut
// short or split across a line still counts.

/** One value that must never leave SecretStorage (or the venue's reply). `label` names it without showing it. */
export interface Secret {
  readonly label: string;
  readonly value: string;
  /**
   * Whether any 12-character piece of it counts too. Off for compound values (a signed query string,
   * Bybit's signed origin string, a keystore JSON): their public parts (a timestamp, a field name)
   * are not secret, and their secret parts are listed on their own.
   */
  readonly pieces: boolean;
}

/** One thing a surface holds: a log line, a settings entry, a file, a posted message. */
export interface Scanned {
  readonly where: string;
  readonly text: string;
}

export interface Hit {
  readonly surface: string;
  readonly where: string;
  readonly secret: string;
  /** Which form matched: the value, an encoding, or a piece. */
  readonly form: string;
  /** The text around it, the match itself replaced by «secret», so a failure says where without repeating the leak. */
  readonly context: string;
}

function around(text: string, at: number, length: number): string {
  return `${text.slice(Math.max(0, at - 120), at)}«secret»${text.slice(at + length, at + length + 60)}`.replace(/\s+/g, ' ');
}

export const PIECE = 12;

/** The forms a value is written in when it is not written as is. */
function encodings(value: string): [string, string][] {
  const bytes = Buffer.from(value, 'utf8');
  const forms: [string, string][] = [
    ['base64', bytes.toString('base64')],
    ['base64url', bytes.toString('base64url')],
    ['hex', bytes.toString('hex')],
    ['url-encoded', encodeURIComponent(value)],
    ['json-escaped', JSON.stringify(value).slice(1, -1)],
  ];
  // A hex secret (a Mixin session seed, an HMAC signature) also travels as its bytes in base64.
  if (/^(?:[0-9a-f]{2}){8,}$/i.test(value)) forms.push(['hex bytes as base64', Buffer.from(value, 'hex').toString('base64')], ['hex bytes as base64url', Buffer.from(value, 'hex').toString('base64url')]);
  return forms.filter(([, v]) => v !== value);
}

export class SecretScanner {
  private readonly exact: { label: string; form: string; value: string }[] = [];
  private readonly pieces = new Map<string, string>();

  constructor(secrets: readonly Secret[]) {
    for (const s of secrets) {
      if (s.value.length < 6) throw new Error(`${s.label} is too short to look for`);
      this.exact.push({ label: s.label, form: 'as is', value: s.value });
      for (const [form, value] of encodings(s.value)) this.exact.push({ label: s.label, form, value });
      if (!s.pieces) continue;
      for (let i = 0; i + PIECE <= s.value.length; i++) this.pieces.set(s.value.slice(i, i + PIECE), s.label);
    }
  }

  get formCount(): number {
    return this.exact.length + this.pieces.size;
  }

  /** Every secret found in `text` (each at most once per form). */
  scan(surface: string, item: Scanned): Hit[] {
    const hits: Hit[] = [];
    const seen = new Set<string>();
    for (const e of this.exact) {
      const at = item.text.indexOf(e.value);
      if (at >= 0) {
        hits.push({ surface, where: item.where, secret: e.label, form: e.form, context: around(item.text, at, e.value.length) });
        seen.add(e.label);
      }
    }
    for (let i = 0; i + PIECE <= item.text.length; i++) {
      const label = this.pieces.get(item.text.slice(i, i + PIECE));
      if (label !== undefined && !seen.has(label)) {
        hits.push({ surface, where: item.where, secret: label, form: `a ${PIECE}-character piece`, context: around(item.text, i, PIECE) });
        seen.add(label);
      }
    }
    return hits;
  }
}

/** The atomic parts of a PEM private key: its base64 body without the armor and line breaks, less the ASN.1 header every RSA key shares. */
export function pemBody(pem: string): string {
  const body = pem.replace(/-----(BEGIN|END)[^-]+-----/g, '').replace(/\s+/g, '');
  // The first 64 characters are the PKCS#8 header and the start of the public modulus, alike across keys.
  return body.slice(64);
}

/** A JWT's signature segment: unique to the token (header and claims are partly public). */
export function jwtSignature(token: string): string | undefined {
  const parts = token.split('.');
  return parts.length === 3 && parts[2]!.length >= PIECE ? parts[2] : undefined;
}
