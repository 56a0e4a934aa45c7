// MEXC pushes `createTime` as a zone-less "YYYY-MM-DD HH:mm:ss" string; its servers are commonly
// UTC+8, so the sandbox renders in a configurable offset (default +480 minutes) to make clients
// that parse it as local or UTC time visibly wrong.

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

export function formatCreateTime(ms: number, offsetMinutes: number): string {
  const d = new Date(ms + offsetMinutes * 60_000);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  );
}
