// Client message ids identify our sends end to end (outbox, venue echo, retries): 32 hex chars,
// inside the protocol's 8-64 url-safe rule.
export function newClientMessageId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID().replace(/-/g, '');
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
