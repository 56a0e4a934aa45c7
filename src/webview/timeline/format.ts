// Time and size formatting. Times are shown in the user's local zone; the venue's own timestamp
// text (kept when it is ambiguous) is offered on hover next to the full local date.

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const clockWithSeconds = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const fullDate = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'long' });
const dayWithWeekday = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const shortDay = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

function validTime(ms: number): boolean {
  return Number.isFinite(ms) && Math.abs(ms) < 8.64e15;
}

/** `HH:MM` in local time. */
export function formatClock(ms: number): string {
  return validTime(ms) ? clock.format(ms) : '--:--';
}

/** Hover text: the full local date and, when present, the venue's raw time text. */
export function formatTimeTitle(ms: number, rawTime?: string): string {
  const local = validTime(ms) ? fullDate.format(ms) : 'unknown time';
  return rawTime ? `${local}\nVenue time: ${rawTime}` : local;
}

export function isoTime(ms: number): string {
  return validTime(ms) ? new Date(ms).toISOString() : '';
}

/** Local calendar day as a comparable number (yyyymmdd). */
export function localDayKey(ms: number): number {
  if (!validTime(ms)) return 0;
  const d = new Date(ms);
  return d.getFullYear() * 10_000 + (d.getMonth() + 1) * 100 + d.getDate();
}

export function dayLabel(ms: number, now: number): string {
  const day = localDayKey(ms);
  if (day === localDayKey(now)) return 'Today';
  const yesterday = new Date(now);
  yesterday.setDate(yesterday.getDate() - 1);
  if (day === localDayKey(yesterday.getTime())) return 'Yesterday';
  return validTime(ms) ? dayWithWeekday.format(ms) : 'Unknown date';
}

/** `HH:MM:SS` in local time. */
export function formatClockSeconds(ms: number): string {
  return validTime(ms) ? clockWithSeconds.format(ms) : '--:--:--';
}

const HOUR_MS = 3_600_000;

/**
 * `HH:MM–HH:MM`, with short dates when the range crosses midnight. `seconds` shows `HH:MM:SS`
 * ends; by default only when the range is under an hour or both ends fall in the same minute, so a
 * short outage never reads "18:21–18:21".
 */
export function formatRange(from: number, to: number, seconds = isShortRange(from, to)): string {
  const time = seconds ? formatClockSeconds : formatClock;
  if (localDayKey(from) === localDayKey(to)) return `${time(from)}–${time(to)}`;
  const withDay = (ms: number): string => (validTime(ms) ? `${shortDay.format(ms)} ${time(ms)}` : time(ms));
  return `${withDay(from)}–${withDay(to)}`;
}

function isShortRange(from: number, to: number): boolean {
  if (!validTime(from) || !validTime(to)) return false;
  return Math.abs(to - from) < HOUR_MS || Math.floor(from / 60_000) === Math.floor(to / 60_000);
}

/** A span of time in words: "35 s", "4 min 5 s", "2 h 5 min", "3 d 4 h" (two units at most). */
export function formatSpan(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  const total = Math.round(ms / 1000);
  if (total < 60) return `${total} s`;
  const parts: readonly (readonly [number, string])[] = [
    [Math.floor(total / 86_400), 'd'],
    [Math.floor((total % 86_400) / 3_600), 'h'],
    [Math.floor((total % 3_600) / 60), 'min'],
    [total % 60, 's'],
  ];
  const first = parts.findIndex(([count]) => count > 0);
  return parts
    .slice(first, first + 2)
    .filter(([count], i) => i === 0 || count > 0)
    .map(([count, unit]) => `${count} ${unit}`)
    .join(' ');
}

export function formatBytes(size: number | undefined): string {
  if (size === undefined || !Number.isFinite(size) || size < 0) return '';
  if (size < 1024) return `${size} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = size / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '';
  const total = Math.round(ms / 1000);
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}
