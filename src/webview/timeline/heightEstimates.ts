// A guess at the height of a row that has never been in the document, learnt from the rows that
// have: the mean measured height of rows of the same shape (layout, kind, length of text, with or
// without attachments). A guess only sizes the spacers and the scrollbar; the reader's place is
// kept by anchoring on a row, so a wrong guess never moves what the reader sees.
import type { ChatMessage } from '../../shared/model';
import { layoutOf } from './messageRow';

/** Before anything of a shape was measured: a one-line bubble with its time. */
const DEFAULT_ROW_PX = 56;
const DEFAULT_ATTACHMENT_PX = 160;
/** Characters per line assumed for the first guess (a bubble is at most 42em wide). */
const GUESS_CHARS_PER_LINE = 70;
const GUESS_LINE_PX = 18;
/** The mean follows the newest measurements: older ones weigh as this many at most. */
const MAX_WEIGHT = 200;

function textBucket(length: number): number {
  if (length <= 40) return 0;
  if (length <= 120) return 1;
  if (length <= 400) return 2;
  if (length <= 1200) return 3;
  return 4;
}

function shapeOf(message: ChatMessage): string {
  const attachments = message.attachments?.length ?? 0;
  return `${layoutOf(message)}:${message.kind}:${textBucket(message.text?.length ?? 0)}:${Math.min(attachments, 3)}:${message.quote ? 'q' : ''}`;
}

function firstGuess(message: ChatMessage): number {
  const lines = Math.ceil(Math.min(message.text?.length ?? 0, 4000) / GUESS_CHARS_PER_LINE);
  return DEFAULT_ROW_PX + Math.max(0, lines - 1) * GUESS_LINE_PX + (message.attachments?.length ?? 0) * DEFAULT_ATTACHMENT_PX;
}

export class HeightEstimates {
  private readonly means = new Map<string, { mean: number; weight: number }>();

  estimate(message: ChatMessage): number {
    return this.means.get(shapeOf(message))?.mean ?? firstGuess(message);
  }

  learn(message: ChatMessage, height: number): void {
    if (!(height > 0)) return;
    const shape = shapeOf(message);
    const known = this.means.get(shape);
    if (!known) {
      this.means.set(shape, { mean: height, weight: 1 });
      return;
    }
    const weight = Math.min(MAX_WEIGHT, known.weight + 1);
    known.mean += (height - known.mean) / weight;
    known.weight = weight;
  }
}
