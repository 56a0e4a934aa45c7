// How far ahead of the reader the next page of history is asked for. At least a few screens; while
// the reader keeps scrolling up fast, far enough that the page arrives before they get there: their
// speed times a few of the last round trips. Speed is taken from continuous scrolling only (scroll
// events frame after frame): a single jump (the scrollbar dragged, Home) says nothing of how fast
// the reader will go on, and a reader who stops needs only the minimum.
const PREFETCH_SCREENS = 4;
/** A short pane still fetches this far ahead (px). */
const MIN_PREFETCH_PX = 2000;
/** Round trips of headroom at the reader's speed. */
const ROUND_TRIPS_AHEAD = 4;
/** Scroll events closer than this (ms) belong to one continuous scroll. */
const CONTINUOUS_MS = 120;
/** Continuous upward scroll events before their speed counts. */
const STREAK_FOR_SPEED = 3;
/** Before any page came back: what a round trip is assumed to take (ms). */
const FIRST_ROUND_TRIP_MS = 150;

export class PrefetchDistance {
  private lastPosition: number | undefined;
  private lastTime = 0;
  /** Upward speed (px/ms), smoothed over the current continuous scroll. */
  private speed = 0;
  private streak = 0;
  private roundTripMs = FIRST_ROUND_TRIP_MS;

  /** The reader is now `distance` px below the top of the oldest loaded row (at `now`, ms). */
  noteScroll(distance: number, now: number): void {
    const previous = this.lastPosition;
    // The list's own corrections (a page put in front, the anchor restored) say nothing of the reader.
    if (previous !== undefined && Math.abs(previous - distance) < 0.5) return;
    const elapsed = now - this.lastTime;
    this.lastPosition = distance;
    this.lastTime = now;
    if (previous === undefined || elapsed <= 0 || elapsed > CONTINUOUS_MS || distance > previous) {
      this.speed = 0;
      this.streak = 0;
      return;
    }
    const upward = (previous - distance) / elapsed;
    this.speed = this.streak === 0 ? upward : this.speed * 0.5 + upward * 0.5;
    this.streak++;
  }

  /** Rows were put in front: the reader, who has not moved, is now `distance` px below the oldest. */
  rebase(distance: number): void {
    if (this.lastPosition !== undefined) this.lastPosition = distance;
  }

  /** A page took this long from request to answer (ms). */
  noteRoundTrip(ms: number): void {
    if (ms > 0 && Number.isFinite(ms)) this.roundTripMs = this.roundTripMs * 0.5 + ms * 0.5;
  }

  /** A new list (another snapshot): speed and position start over; the round trip is kept. */
  reset(): void {
    this.lastPosition = undefined;
    this.speed = 0;
    this.streak = 0;
  }

  /** Ask for the next page once the reader is this close to the oldest loaded row (px). */
  distance(viewportHeight: number, now: number): number {
    const scrolling = this.streak >= STREAK_FOR_SPEED && now - this.lastTime <= CONTINUOUS_MS * 2;
    return Math.max(MIN_PREFETCH_PX, PREFETCH_SCREENS * viewportHeight, scrolling ? this.speed * this.roundTripMs * ROUND_TRIPS_AHEAD : 0);
  }
}
