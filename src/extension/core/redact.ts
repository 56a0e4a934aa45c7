// Redaction for everything that reaches the log channel (design.md §8): keys, secrets, tokens,
// listen keys, signatures and JWTs never appear in logs, whatever the caller passed in.

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

const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\b/g;

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Registers exact values (keys, secrets, listen keys) that must never be printed. */
  addSecret(value: string | undefined): void {
    if (value && value.length >= 6) this.secrets.add(value);
  }

  removeSecret(value: string | undefined): void {
    if (value) this.secrets.delete(value);
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
