// `npm run chaos`: every venue's sandbox at once, messages both ways through the real adapters, hub,
// store and outbox (the desk process), with a random fault every ~250 ms, a full disk for a few
// seconds and the desk killed mid-send and restarted from disk. The schedule (which fault, when,
// the kills, the full disk) comes from the printed seed; `--seed` replays it. The verdict per venue
// is drawn from the venues' own records and the store, read after an orderly quit.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { silentLogger } from '../../src/extension/core/logger';
import { MessageStore } from '../../src/extension/core/store/messageStore';
import { CHAOS_SANDBOX_VENUES, chaosVenues, type ChaosVenue } from './chaosVenues';
import type { DeskConfig, FromDesk } from './deskProtocol';
import { DeskProcess } from './deskProcess';
import { FullDisk } from './fullDisk';
import { Ledger, type NoHistory, type StoredRow, type VenueVerdict } from './ledger';
import { seededRandom, type Random } from './random';

export interface ChaosOptions {
  readonly seed: number;
  /** Messages each way per venue. */
  readonly messages: number;
  /** Messages per second each way per venue while composing. */
  readonly rate: number;
  readonly kills: number;
  readonly faultEveryMs: number;
  readonly fullDiskMs: number;
  /** How long to wait for everything to arrive once composing stops. */
  readonly drainTimeoutMs: number;
  /** Keep the desk's folder (store, outbox, log) and print where it is, for a post-mortem. */
  readonly keep: boolean;
  /** Only these venues (all when empty): to chase one venue's problem alone. */
  readonly venues: readonly string[];
  /** The bundle the desk runs from (this one). */
  readonly script: string;
  readonly log: (line: string) => void;
}

export interface ChaosResult {
  readonly seed: number;
  readonly verdicts: readonly VenueVerdict[];
  readonly kills: number;
  readonly restarts: number;
  readonly fullDisk: string;
  readonly unhandled: readonly string[];
  readonly elapsedMs: number;
  readonly drained: boolean;
}

const TICK_MS = 50;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const started = Date.now();
  const random = seededRandom(options.seed);
  const sandbox = await startSandbox({ seed: options.seed, counterparty: false, venues: CHAOS_SANDBOX_VENUES });
  const root = mkdtempSync(join(tmpdir(), 'venue-chat-chaos-'));
  const dataDir = join(root, 'desk');
  mkdirSync(dataDir);
  const disk = FullDisk.prepare(dataDir, 64);
  // Interrupted (Ctrl+C, `timeout`): the tmpfs is unmounted and the folder removed before exiting;
  // the desk child sees its channel close and exits by itself.
  const onSignal = (signal: NodeJS.Signals): void => {
    options.log(`${signal}: unmounting the desk's folder and stopping`);
    disk.release();
    if (!options.keep) rmSync(root, { recursive: true, force: true });
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await soak(options, random, sandbox, root, dataDir, disk, started);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    // The tmpfs goes with the unmount: a kept folder is copied out first.
    if (options.keep) cpSync(dataDir, join(root, 'desk-kept'), { recursive: true });
    disk.release();
    await sandbox.close();
    if (options.keep) options.log(`kept the desk's folder and log: ${root}`);
    else rmSync(root, { recursive: true, force: true });
  }
}

async function soak(options: ChaosOptions, random: Random, sandbox: Sandbox, root: string, dataDir: string, disk: FullDisk, started: number): Promise<ChaosResult> {
  const venues = chaosVenues(sandbox).filter((v) => options.venues.length === 0 || options.venues.includes(v.venue));
  if (venues.length === 0) throw new Error(`no such venue: ${options.venues.join(', ')}`);
  const accountOf = (v: ChaosVenue) => `chaos-${v.venue}`;
  const config: DeskConfig = {
    storageDir: dataDir,
    venuesDir: join(options.script, '..', 'venues'),
    accounts: venues.map((v) => ({ id: accountOf(v), account: v.account })),
    logFile: join(root, 'desk.log'),
  };
  const configFile = join(root, 'desk.json');
  writeFileSync(configFile, JSON.stringify(config));

  const ledger = new Ledger();
  const unhandled: string[] = [];
  /** Ids handed to the running desk and not yet answered, in the order they were handed over. */
  const inFlight = new Map<string, { accountId: string; conversationId: string; text: string }>();
  /** Ids to hand over (again) when a desk is running: after a kill, or refused while the disk was full. */
  const toResend: string[] = [];
  /** What the user sees looking at the venue's own chat now: whether our message `id` is there. */
  const inTheChat = (id: string): boolean => {
    const o = ledger.outboundOf(id);
    const venue = venues.find((v) => v.venue === o?.venue);
    return o !== undefined && venue !== undefined && venue.ours(o.conversationId).includes(o.text);
  };
  const desk = new DeskProcess(options.script, configFile, {
    onMessage: (m: FromDesk) => {
      const now = Date.now();
      if (m.t === 'accepted') {
        inFlight.delete(m.id);
        ledger.accepted(m.id, now, m.composedAt);
      } else if (m.t === 'failed') {
        // The pane shows it failed: "Check the chat; Retry sends it again". The user looks at the
        // venue's own chat and presses Retry only if the message is not there.
        ledger.askedUser(m.id);
        const there = inTheChat(m.id);
        options.log(`${m.id} failed, the user is asked (${m.failure}); ${there ? 'it is in the chat: no Retry' : 'not in the chat: pressing Retry'}`);
        if (!there) setTimeout(() => desk.send({ t: 'retry', id: m.id }), 1_000);
      } else if (m.t === 'refused') {
        // The user sees the message was not queued and sends it again a moment later.
        const message = inFlight.get(m.id);
        inFlight.delete(m.id);
        ledger.refusedAtCompose(m.id);
        if (message) setTimeout(() => toResend.push(m.id), 500);
      } else if (m.t === 'stored') ledger.stored(m.texts, now);
      else if (m.t === 'unhandled') {
        unhandled.push(m.error);
        options.log(`desk: unhandled: ${m.error.split('\n')[0]}`);
      }
    },
    onUnexpectedExit: (code, signal) => void unhandled.push(`the desk exited by itself (code ${String(code)}, signal ${String(signal)})`),
  });
  const pending = new Map<string, { accountId: string; conversationId: string; text: string }>();
  const hand = (id: string) => {
    const message = pending.get(id)!;
    if (!desk.running) return void toResend.push(id);
    inFlight.set(id, message);
    desk.send({ t: 'send', id, ...message });
  };

  await desk.start();
  options.log(`desk started; composing ${options.messages} messages each way per venue at ${options.rate}/s`);

  // The schedule, all from the seed.
  const composeMs = (options.messages / options.rate) * 1000;
  const killAt = spread(random, options.kills, composeMs * 0.15, composeMs * 0.9);
  const fullDiskAt = disk.mounted ? composeMs * (0.25 + random() * 0.5) : Number.POSITIVE_INFINITY;
  let nextFaultAt = options.faultEveryMs * (0.6 + random() * 0.8);
  let kills = 0;
  let fullDiskDone = false;
  const outages: { kills: number[]; fullDisk?: { from: number; to: number } } = { kills: [] };
  const counters = venues.map(() => ({ said: 0, composed: 0 }));
  const t0 = Date.now();
  let lastPoll = 0;

  const pollVenues = () => {
    const now = Date.now();
    for (const v of venues) for (const c of v.conversations) ledger.seenAtVenue(v.ours(c), now);
  };

  while (counters.some((c) => c.said < options.messages || c.composed < options.messages)) {
    const elapsed = Date.now() - t0;
    const due = Math.min(options.messages, Math.floor((elapsed / 1000) * options.rate));
    // What a killed desk left unanswered goes again first, before anything composed later.
    if (desk.running) for (const id of toResend.splice(0)) hand(id);
    for (const [i, v] of venues.entries()) {
      const c = counters[i]!;
      // A person writes one message at a time: after a stall of this loop the backlog is said at
      // most one per conversation per tick, so no two of a conversation share a millisecond (the
      // store keeps equal times from different batches in arrival order; docs/architecture.md).
      const burst = Math.min(due, c.said + v.conversations.length);
      while (c.said < burst) {
        const conversationId = v.conversations[c.said % v.conversations.length]!;
        const text = `chaos ${v.venue} in ${c.said}`;
        ledger.said(v.venue, conversationId, text, Date.now());
        v.counterpartySays(conversationId, text);
        c.said++;
      }
      // The user composes only while VS Code runs.
      while (desk.running && c.composed < due) {
        const conversationId = v.conversations[c.composed % v.conversations.length]!;
        const id = `chaos-${v.venue}-${String(c.composed).padStart(5, '0')}`;
        const text = `chaos ${v.venue} out ${c.composed}`;
        ledger.compose(id, v.venue, conversationId, text);
        pending.set(id, { accountId: accountOf(v), conversationId, text });
        hand(id);
        c.composed++;
      }
    }

    if (elapsed >= nextFaultAt) {
      const v = venues[Math.floor(random() * venues.length)]!;
      const fault = v.faults[Math.floor(random() * v.faults.length)]!;
      fault.apply();
      options.log(`fault: ${v.venue} ${fault.name}`);
      if (fault.userReconnects) setTimeout(() => desk.send({ t: 'reconnect', accountId: accountOf(v) }), 2_000);
      ledger.fault(v.venue);
      nextFaultAt = elapsed + options.faultEveryMs * (0.6 + random() * 0.8);
    }
    if (!fullDiskDone && elapsed >= fullDiskAt) {
      fullDiskDone = true;
      const bytes = disk.fill();
      const from = Date.now();
      outages.fullDisk = { from, to: from + options.fullDiskMs };
      options.log(`disk full (${(bytes / 1e6).toFixed(1)} MB of ballast) for ${options.fullDiskMs} ms`);
      setTimeout(() => (disk.free(), options.log('disk free again')), options.fullDiskMs);
    }
    if (kills < killAt.length && elapsed >= killAt[kills]!) {
      kills++;
      const unanswered = [...inFlight.keys()];
      outages.kills.push(Date.now());
      await desk.kill();
      inFlight.clear();
      // Whatever the killed desk had not answered is sent again: the same id, so at most one of each is queued.
      toResend.unshift(...unanswered.filter((id) => !ledger.isAccepted(id)));
      const downMs = 300 + Math.floor(random() * 1200);
      options.log(`kill ${kills}: desk killed with ${unanswered.length} sends unanswered; down for ${downMs} ms`);
      await sleep(downMs);
      await desk.start();
      // A Retry the killed desk may not have kept is pressed again (Retry of a message under way does
      // nothing), by a user who looks at the chat first, as when asked: the venue's list is read now,
      // since the ledger's own poll did not run while the desk was starting (a message the desk
      // failed during its start and the user saw in the chat was otherwise retried, and doubled).
      for (const id of ledger.awaitingRetry()) if (!inTheChat(id)) desk.send({ t: 'retry', id });
    }
    if (Date.now() - lastPoll > 250) {
      pollVenues();
      lastPoll = Date.now();
    }
    await sleep(TICK_MS);
  }

  options.log('composing done; faults off; waiting for everything to arrive');
  for (const v of venues) v.clearFaults();
  disk.free();
  const noHistory: NoHistory = { pushedToClient: new Map(venues.flatMap((v) => (v.pushedToClient ? [[v.venue, v.pushedToClient] as const] : []))), outages };
  const drainUntil = Date.now() + options.drainTimeoutMs;
  let lastLookup = 0;
  let drained = false;
  while (Date.now() < drainUntil) {
    if (desk.running) for (const id of toResend.splice(0)) hand(id);
    pollVenues();
    // Stored just before a kill, a message may never have been reported: ask the desk's store.
    if (desk.running && Date.now() - lastLookup > 2_000) {
      lastLookup = Date.now();
      const unreported = ledger.unreported(noHistory).slice(0, 500);
      if (unreported.length > 0) desk.send({ t: 'lookup', messages: unreported.map((u) => ({ accountId: `chaos-${u.venue}`, conversationId: u.conversationId, text: u.text })) });
    }
    const left = ledger.caughtUp(noHistory);
    if (left.outbound === 0 && left.inbound === 0 && inFlight.size === 0 && toResend.length === 0) {
      drained = true;
      break;
    }
    await sleep(250);
  }
  if (!drained) options.log(`not everything arrived within ${options.drainTimeoutMs} ms: ${JSON.stringify(ledger.caughtUp(noHistory))}`);
  await desk.quit();

  // The verdict, from the venues' records and the store the desk left on disk.
  const store = await MessageStore.open(join(dataDir, 'store'), silentLogger);
  const logLines = readFileSync(config.logFile, 'utf8').split('\n');
  const verdicts: VenueVerdict[] = [];
  try {
    for (const v of venues) {
      const atVenue = new Map(v.conversations.map((c) => [c, v.ours(c)] as const));
      const storedRows = new Map<string, StoredRow[]>();
      for (const c of v.conversations) {
        const { messages } = store.page(accountOf(v), c, { limit: 1_000_000 });
        storedRows.set(c, messages.map((m) => ({ direction: m.direction, text: m.text ?? '' })));
      }
      const label = `[${v.account.label}]`;
      const errorsLogged = logLines.filter((l) => l.includes('[error]') && l.includes(label)).length;
      const venueUnhandled = unhandled.filter((u) => u.includes(v.venue)).length;
      const noHistory = v.pushedToClient ? { pushedToClient: v.pushedToClient, outages } : undefined;
      verdicts.push(ledger.verdict(v.venue, atVenue, storedRows, { unhandled: venueUnhandled, errorsLogged }, noHistory));
    }
  } finally {
    await store.close();
  }
  return {
    seed: options.seed,
    verdicts,
    kills,
    restarts: desk.starts - 1,
    fullDisk: disk.mounted ? `${options.fullDiskMs} ms` : `not run (${disk.unavailable ?? 'unavailable'})`,
    unhandled,
    elapsedMs: Date.now() - started,
    drained,
  };
}

/** `n` times between `from` and `to`, at least a tenth of the span apart, in order. */
function spread(random: Random, n: number, from: number, to: number): number[] {
  const slot = (to - from) / Math.max(n, 1);
  return Array.from({ length: n }, (_, i) => from + slot * i + random() * slot * 0.8);
}
