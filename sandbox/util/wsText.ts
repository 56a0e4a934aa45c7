// A WebSocket message as text, whatever shape `ws` delivered it in (one buffer, fragments, an ArrayBuffer).
import type { RawData } from 'ws';

export function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
