// What the fuzz suites share: the run settings, the generators of hostile values, the checks every
// answer must pass, and the outcome table `npm run fuzz` prints once, after every suite.
//
// `npm run fuzz` runs 100,000 inputs per property (VENUE_CHAT_FUZZ_RUNS) and prints the outcome
// counts; `npm test` runs a short version. A failure prints fast-check's seed and path: replay with
// VENUE_CHAT_FUZZ_SEED=<seed> VENUE_CHAT_FUZZ_PATH=<path>.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkInbound } from '../../../src/extension/core/inbox/inboundFit';
import { VenueError } from '../../../src/extension/venues/venue';
import { readConversation } from '../../../src/shared/conversationValidator';
import type { OrderContext } from '../../../src/shared/model';

const RUNS_SET = process.env['VENUE_CHAT_FUZZ_RUNS'];
/** Inputs per property: VENUE_CHAT_FUZZ_RUNS, else a short run for the unit tier. */
export const RUNS = Number(RUNS_SET ?? 2_000);
const SEED = process.env['VENUE_CHAT_FUZZ_SEED'];
const PATH = process.env['VENUE_CHAT_FUZZ_PATH'];
export const NOW = Date.UTC(2026, 10, 30, 12);
/** A rejection's detail (or an error's message) goes to the log and the bad-input count: it must stay a line, not the input. */
export const MAX_DETAIL_CHARS = 1_000;
/** Per-test timeout: 100,000 inputs per property take a while on a small machine; the default run is short. */
export const SUITE_TIMEOUT_MS = Math.max(60_000, RUNS * 5);

/**
 * fast-check settings. `unitRuns`: the unit tier's count for this property when VENUE_CHAT_FUZZ_RUNS
 * is not set (suites of many properties take fewer each, so the fuzz folder stays under a minute).
 */
export function params(unitRuns = RUNS): fc.Parameters<unknown> {
  // No shrinking: inputs run to 70,000 characters, and shrinking those takes far longer than the
  // run; the seed and path in the report replay the failing input exactly.
  return { numRuns: RUNS_SET === undefined ? unitRuns : RUNS, endOnFailure: true, ...(SEED !== undefined ? { seed: Number(SEED) } : {}), ...(PATH !== undefined ? { path: PATH } : {}) };
}

// Every test file is bundled on its own (esbuild), so the table lives on the global object: one
// table and one printing hook for the whole run, whichever files it loads.
const TABLE = Symbol.for('venue-chat.fuzz.outcomes');
const shared = globalThis as { [TABLE]?: Map<string, Map<string, number>> };
const firstLoad = shared[TABLE] === undefined;
const outcomes = (shared[TABLE] ??= new Map<string, Map<string, number>>());

/** Counts one outcome of one codec or parser. */
export function count(subject: string, outcome: string): void {
  const byOutcome = outcomes.get(subject) ?? new Map<string, number>();
  outcomes.set(subject, byOutcome);
  byOutcome.set(outcome, (byOutcome.get(outcome) ?? 0) + 1);
}

if (firstLoad) {
  // A root hook: runs once, after every suite of the run.
  after(() => {
    if (!process.env['VENUE_CHAT_FUZZ_RUNS']) return;
    console.log('\n  Fuzz outcomes (inputs per codec or parser, by outcome):');
    for (const [subject, byOutcome] of outcomes) {
      const total = [...byOutcome.values()].reduce((a, b) => a + b, 0);
      const slow = slowest.has(subject) ? `; slowest input ${slowest.get(subject)!.toFixed(1)} ms` : '';
      console.log(`  ${subject}: ${total.toLocaleString('en-US')} inputs, ${[...byOutcome].map(([o, n]) => `${o} ${n.toLocaleString('en-US')}`).join(', ')}${slow}`);
    }
  });
}

// ---- generators ---------------------------------------------------------------------------------

/**
 * 5,000 to 70,000 characters (letters, spaces, line breaks, a non-ASCII letter), built by repeating
 * a short generated chunk: drawing every character would cost more than the parsers under test.
 */
const hugeText = fc
  .tuple(fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom('a', ' ', '\n', 'é', '"', '\\') }), fc.integer({ min: 5_000, max: 70_000 }))
  .map(([chunk, length]) => chunk.repeat(Math.ceil(length / chunk.length)).slice(0, length));

/** Text a hostile or broken peer could put anywhere: short and long, control and bidi characters, lone surrogates. */
export const nastyText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '\u202e', '\ud800', '<script>alert(1)</script>', '1e400', 'NaN', '-0', '9'.repeat(400)),
  hugeText,
);
/** Any JSON-ish value in a field: the right type sometimes, the wrong one often. */
export const anyField = fc.oneof(nastyText, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 2 }));
/**
 * A field usually right and sometimes wrong: records of a dozen fields then come out well-formed
 * often enough (about a third) for the accepting paths to be fuzzed too, not only the rejections.
 */
export const stringy = <T>(valid: fc.Arbitrary<T>): fc.Arbitrary<T | unknown> => fc.oneof({ weight: 15, arbitrary: valid }, { weight: 1, arbitrary: anyField });

/** A text cut short, as a torn read or a hostile proxy leaves it. */
export function truncated(texts: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(texts, fc.nat()).map(([text, n]) => text.slice(0, text.length === 0 ? 0 : n % text.length));
}

// ---- checks -----------------------------------------------------------------------------------

export function assertDetail(detail: unknown, where: string): void {
  assert.equal(typeof detail, 'string', `${where}: a rejection says why`);
  assert.ok((detail as string).length > 0 && (detail as string).length <= MAX_DETAIL_CHARS, `${where}: a rejection's detail is one loggable line (${(detail as string).length} chars)`);
}

/** What the hub does with a mapped message before the store: checks it, fitting over-long display fields. */
export function assertStorable(message: unknown, where: string): void {
  const checked = checkInbound(message as never, []);
  assert.notEqual(typeof checked, 'string', `${where}: an accepted input maps to a message the hub refuses: ${String(checked)}`);
}

/** An order's context the store keeps as it is: the conversation check (shared/conversationValidator.ts) drops nothing of it. */
export function assertOrderStorable(order: OrderContext, where: string): void {
  const { conversation, problems } = readConversation({ venue: 'mexc', accountId: 'acc', conversationId: 'c', title: 't', lastActivity: 0, unread: 0, active: true, order });
  assert.deepEqual(problems, [], `${where}: the order context maps to fields the store drops: ${problems.join('; ')}`);
  assert.deepEqual(conversation?.order, order, `${where}: the order context is stored as mapped`);
}

/** What may escape a parser: its module's typed error (a VenueError), with a message short enough to show and log. */
export function assertVenueError(err: unknown, where: string): VenueError {
  if (!(err instanceof VenueError)) throw new Error(`${where}: an exception escaped that is not a VenueError: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  assert.ok(err.message.length > 0 && err.message.length <= MAX_DETAIL_CHARS, `${where}: an error's message is one line (${err.message.length} chars): ${err.message.slice(0, 300)}`);
  if (err.retryAfterMs !== undefined) assert.ok(Number.isFinite(err.retryAfterMs) && err.retryAfterMs >= 0 && err.retryAfterMs <= MAX_WAIT_MS, `${where}: a wait of ${err.retryAfterMs} ms`);
  return err;
}

/** The longest wait a venue's reply may impose (a daily send limit's reset); the HTTP core caps its own at 5 min. */
export const MAX_WAIT_MS = 24 * 3600_000;

/** One input longer than this counts as a hang: a decoder that backtracks or loops on hostile input. */
export const HANG_MS = 2_000;
const SLOWEST = Symbol.for('venue-chat.fuzz.slowest');
const sharedSlowest = globalThis as { [SLOWEST]?: Map<string, number> };
const slowest = (sharedSlowest[SLOWEST] ??= new Map<string, number>());

/** Runs one input of `subject`, failing the property if it takes longer than HANG_MS; the slowest is reported. */
export function timed<T>(subject: string, run: () => T): T {
  const start = performance.now();
  try {
    return run();
  } finally {
    const ms = performance.now() - start;
    if (ms > (slowest.get(subject) ?? 0)) slowest.set(subject, ms);
    assert.ok(ms < HANG_MS, `${subject}: one input took ${Math.round(ms)} ms (a hang)`);
  }
}

