// An audio waveform (Mixin voice notes) as a row of bars. Bar heights are one of eight classes,
// not inline styles: the CSP allows no style attributes, and eight levels are plenty to read.
import * as l10n from '@vscode/l10n';
import { el } from '../../dom';
import { formatDuration } from '../format';

export const WAVEFORM_BARS = 40;
const LEVELS = 8;

/** Averages `samples` (0..255) into at most `bars` buckets. */
export function bucketWaveform(samples: readonly number[], bars = WAVEFORM_BARS): number[] {
  if (samples.length <= bars) return [...samples];
  const out: number[] = [];
  for (let i = 0; i < bars; i++) {
    const from = Math.floor((i * samples.length) / bars);
    const to = Math.max(from + 1, Math.floor(((i + 1) * samples.length) / bars));
    let sum = 0;
    for (let j = from; j < to; j++) sum += samples[j] ?? 0;
    out.push(sum / (to - from));
  }
  return out;
}

export function waveformElement(samples: readonly number[], durationMs: number | undefined): HTMLElement | null {
  if (samples.length === 0) return null;
  const duration = formatDuration(durationMs);
  const bars = bucketWaveform(samples).map((value) => {
    const level = Math.min(LEVELS - 1, Math.max(0, Math.floor((value / 256) * LEVELS)));
    return el('span', { className: `waveform__bar waveform__bar--${level}` });
  });
  return el('div', { className: 'waveform', attrs: { role: 'img', 'aria-label': duration ? l10n.t({ message: 'Voice waveform, {0}', args: [duration], comment: ['{0} is how long the voice message is, e.g. 0:04'] }) : l10n.t('Voice waveform') } }, bars);
}
