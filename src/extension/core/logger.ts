// Logging seam for code that must not import 'vscode'. The host backs it with a LogOutputChannel
// wrapped in redaction (see redact.ts); tests back it with an in-memory recorder.

export interface Logger {
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string | Error, ...args: unknown[]): void;
}

export const silentLogger: Logger = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** A logger that prefixes every line with a scope, e.g. `[mexc:acc-1]`. */
export function scopedLogger(base: Logger, scope: string): Logger {
  const p = `[${scope}] `;
  return {
    trace: (m, ...a) => base.trace(p + m, ...a),
    debug: (m, ...a) => base.debug(p + m, ...a),
    info: (m, ...a) => base.info(p + m, ...a),
    warn: (m, ...a) => base.warn(p + m, ...a),
    error: (m, ...a) => base.error(typeof m === 'string' ? p + m : `${p}${m.message}`, ...a),
  };
}
