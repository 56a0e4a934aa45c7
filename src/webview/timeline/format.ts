// Time and size formatting. Times are shown in the user's local zone and in the page's language
// (VS Code's display language, locale.ts); the venue's own timestamp text (kept when it is
// ambiguous) is offered on hover next to the full local date.
import * as l10n from '@vscode/l10n';
import { formatNumber, pageLocale } from '../locale';

const locale = pageLocale();
const clock = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const clockWithSeconds = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const fullDate = new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'long' });
const dayWithWeekday = new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const shortDay = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short' });

function validTime(ms: number): boolean {
  return Number.isFinite(ms) && Math.abs(ms) < 8.64e15;
}

/** `HH:MM` in local time. */
export function formatClock(ms: number): string {
  return validTime(ms) ? clock.format(ms) : '--:--';
}

/** Hover text: the full local date and, when present, the venue's raw time text. */
export function formatTimeTitle(ms: number, rawTime?: string): string {
  const local = validTime(ms) ? fullDate.format(ms) : l10n.t('unknown time');
  return rawTime ? `${local}\n${l10n.t({ message: 'Venue time: {0}', args: [rawTime], comment: ['{0} is the time exactly as the venue wrote it'] })}` : local;
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
  if (day === localDayKey(now)) return l10n.t('Today');
  const yesterday = new Date(now);
  yesterday.setDate(yesterday.getDate() - 1);
  if (day === localDayKey(yesterday.getTime())) return l10n.t('Yesterday');
  return validTime(ms) ? dayWithWeekday.format(ms) : l10n.t('Unknown date');
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
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3_600);
  const minutes = Math.floor((total % 3_600) / 60);
  const seconds = total % 60;
  const n = (value: number): string => formatNumber(value);
  if (days > 0) return hours > 0 ? l10n.t({ message: '{0} d {1} h', args: [n(days), n(hours)], comment: ['A span of time with abbreviated units: d days, h hours, min minutes, s seconds'] }) : l10n.t({ message: '{0} d', args: [n(days)], comment: ['A span of time with abbreviated units: d days, h hours, min minutes, s seconds'] });
  if (hours > 0) return minutes > 0 ? l10n.t({ message: '{0} h {1} min', args: [n(hours), n(minutes)], comment: ['A span of time with abbreviated units: d days, h hours, min minutes, s seconds'] }) : l10n.t({ message: '{0} h', args: [n(hours)], comment: ['A span of time with abbreviated units: d days, h hours, min minutes, s seconds'] });
  if (minutes > 0) return seconds > 0 ? l10n.t({ message: '{0} min {1} s', args: [n(minutes), n(seconds)], comment: ['A span of time with abbreviated units: d days, h hours, min minutes, s seconds'] }) : l10n.t({ message: '{0} min', args: [n(minutes)], comment: ['A span of time with abbreviated units: d days, h hours, min minutes, s seconds'] });
  return l10n.t({ message: '{0} s', args: [n(seconds)], comment: ['A span of time with abbreviated units: d days, h hours, min minutes, s seconds'] });
}

/** A file size: "512 B", "1.5 KB", "12 MB" (binary multiples), the number in the page's language. */
export function formatBytes(size: number | undefined): string {
  if (size === undefined || !Number.isFinite(size) || size < 0) return '';
  if (size < 1024) return l10n.t({ message: '{0} B', args: [formatNumber(size, { useGrouping: false })], comment: ['A file size: B bytes, KB kilobytes, MB megabytes, GB gigabytes, TB terabytes'] });
  let value = size / 1024;
  let unit = 0;
  while (value >= 1024 && unit < 3) {
    value /= 1024;
    unit++;
  }
  const digits = value < 10 ? 1 : 0;
  const amount = formatNumber(value, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false });
  switch (unit) {
    case 0:
      return l10n.t({ message: '{0} KB', args: [amount], comment: ['A file size: B bytes, KB kilobytes, MB megabytes, GB gigabytes, TB terabytes'] });
    case 1:
      return l10n.t({ message: '{0} MB', args: [amount], comment: ['A file size: B bytes, KB kilobytes, MB megabytes, GB gigabytes, TB terabytes'] });
    case 2:
      return l10n.t({ message: '{0} GB', args: [amount], comment: ['A file size: B bytes, KB kilobytes, MB megabytes, GB gigabytes, TB terabytes'] });
    default:
      return l10n.t({ message: '{0} TB', args: [amount], comment: ['A file size: B bytes, KB kilobytes, MB megabytes, GB gigabytes, TB terabytes'] });
  }
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '';
  const total = Math.round(ms / 1000);
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}
