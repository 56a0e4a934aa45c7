// Redaction for everything that reaches the log channel (docs/architecture.md, Trust boundaries):
// keys, secrets, tokens, listen keys, signatures and JWTs never appear in logs, whatever the caller
// passed in; nor in the connection-state reasons the tree, the status bar and the chat pane show.
import type { ConnectionState } from '../../shared/model';

const SENSITIVE_NAME = /(secret|api[-_]?key|apikey|token|listen[-_]?key|signature|password|authorization|private[-_]?key|session[-_]?key|pin)/i;

/** query/form/JSON/header style `name=value`, `"name":"value"`, `name: value` pairs whose name looks sensitive. */
const PAIR_PATTERNS: RegExp[] = [
  // key=value in URLs and forms
  /([?&;\s]|^)([A-Za-z0-9_.-]*(?:secret|api[-_]?key|apikey|token|listen[-_]?key|signature|password|private[-_]?key)[A-Za-z0-9_.-]*)=([^&\s"'#]+)/gi,
  // "name": "value" in JSON
  /("([A-Za-z0-9_.-]*(?:secret|api[-_]?key|apikey|token|listen[-_]?key|signature|password|authorization|private[-_]?key)[A-Za-z0-9_.-]*)"\s*:\s*)"((?:[^"\\]|\\.)*)"/gi,
  // Header-like `X-MEXC-APIKEY: value` / `Authorization: Bearer value`
  /((?:x-[a-z-]*(?:apikey|api-key|sign|token)[a-z-]*|authorization)\s*:\s*)(?:bearer\s+)?([^\s,;"']+)/gi,
];

/** A reason longer than this is cut: a venue's error page must not fill a tooltip. */
export const MAX_REASON_LENGTH = 300;

const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\b/g;

/**
 * A value after the word sign/signature in prose, as venues quote a request back in their errors
 * (`signature 3f8a…`, Bybit's `sign[3f8a…]`, `sign: …`). A signature is derived from the secret, so
 * it is never registered; it is recognised by where it stands instead.
 */
const SIGNATURE_IN_PROSE = /\b(sign(?:ature)?)(\s*[:=[(]\s*|\s+)([A-Za-z0-9+/_-]{16,}={0,2})/gi;

/**
 * Opaque runs no person writes: 32+ hex digits (HMAC signatures, digests, key seeds) and 64+
 * base64 characters mixing digits and both cases (RSA signatures, key bodies). Whatever they are,
 * a log line or a reason loses nothing by not showing them, and an echoed signature or a key
 * quoted without its name cannot pass.
 */
const OPAQUE_HEX = /\b[0-9A-Fa-f]{32,}\b/g;
const OPAQUE_BASE64 = /[A-Za-z0-9+/]{64,}={0,2}/g;
const looksEncoded = (run: string): boolean => /[0-9]/.test(run) && /[a-z]/.test(run) && /[A-Z]/.test(run);

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Registers exact values (keys, secrets, listen keys) that must never be printed. */
  addSecret(value: string | undefined): void {
    if (value && value.length >= 6) this.secrets.add(value);
  }

  removeSecret(value: string | undefined): void {
    if (value) this.secrets.delete(value);
  }

  /** Whether the text holds a registered secret (the account state store refuses such values). */
  containsSecret(text: string): boolean {
    for (const secret of this.secrets) if (text.includes(secret)) return true;
    return false;
  }

  /** The state as views may show it: its reason redacted and capped. One helper for the tree, the status bar and the pane. */
  redactState(state: ConnectionState): ConnectionState {
    if (!('reason' in state)) return state;
    const reason = this.redact(state.reason);
    return { ...state, reason: reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH - 1)}…` : reason };
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) {
      if (out.includes(secret)) out = out.split(secret).join('***');
    }
    out = out.replace(PAIR_PATTERNS[0]!, (_m, pre: string, name: string) => `${pre}${name}=***`);
    out = out.replace(PAIR_PATTERNS[1]!, (_m, pre: string) => `${pre}"***"`);
    out = out.replace(PAIR_PATTERNS[2]!, (_m, pre: string) => `${pre}***`);
    out = out.replace(JWT, '***jwt***');
    out = out.replace(SIGNATURE_IN_PROSE, (_m, word: string, gap: string) => `${word}${gap}***`);
    out = out.replace(OPAQUE_HEX, '***');
    out = out.replace(OPAQUE_BASE64, (run) => (looksEncoded(run) ? '***' : run));
    return out;
  }

  /** Renders any log argument to text, redacting object fields by name and all values by content. */
  format(value: unknown): string {
    if (typeof value === 'string') return this.redact(value);
    if (value instanceof Error) return this.redact(`${value.name}: ${value.message}`);
    try {
      return this.redact(JSON.stringify(value, (name, v: unknown) => (name && SENSITIVE_NAME.test(name) && typeof v !== 'object' ? '***' : v)));
    } catch {
      return this.redact(String(value));
    }
  }
}
