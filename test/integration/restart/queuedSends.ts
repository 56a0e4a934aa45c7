// Restart with messages queued on every venue, in a real VS Code (issue: "quitting VS Code with
// messages queued on every venue resumes them on the next start, in compose order, each exactly
// once"). Three launches on one profile (scripts/lib/launchScenarios.mjs):
// 1. `queue`: an account of each of the five venues; each venue made to refuse or not answer sends
//    with its own fault switches (so the messages stay queued and retrying, not failed); several
//    messages composed per conversation, all checked queued and none at a venue. Orderly quit.
// 2. `resume-and-queue`: the faults cleared between the launches; every message reaches its venue
//    exactly once, in compose order per conversation, and is stored once as sent. Then a second
//    batch is queued the same way, and VS Code is killed.
// 3. `resume`: the second batch the same, and the first still exactly once.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { VenueChatApi } from '../../../src/extension/extension';
import type { ChatMessage } from '../../../src/shared/model';
import { driver } from '../driver';
import { control, EXTENSION_ID, until, type SandboxReady } from '../sandbox';
import type { ScenarioModule } from '../suite/scenarios';
import { afterQuitText, quitAfter, quitBefore, readHandoff, sharedSandbox, writeHandoff, type Handoff } from './handoff';

type VenueId = 'mexc' | 'binance' | 'bybit' | 'multiwa' | 'mixin';

/** One conversation's queued messages, in compose order. */
interface Lane {
  readonly venue: VenueId;
  readonly accountId: string;
  readonly conversationId: string;
  readonly texts: readonly string[];
}

interface QueuedHandoff extends Handoff {
  readonly accounts: Readonly<Record<VenueId, string>>;
  /** The messages queued before each quit so far, oldest batch first. */
  readonly batches: readonly (readonly Lane[])[];
}

/** How each venue is added, which conversations get messages, how it is made to hold them, and what it received. */
interface VenuePlan {
  readonly venue: VenueId;
  /** The `venueChat.addAccount` argument for the venue's first sandbox account. */
  readonly account: (info: SandboxReady) => Record<string, unknown>;
  /** Conversations (the venue's ids, which are the product's) where orders are open, so sends are allowed. */
  readonly conversations: (control: string, api: VenueChatApi, accountId: string) => Promise<string[]>;
  /** Fault switches under which the venue refuses or does not answer sends, and the switches that clear them. */
  readonly faults: Record<string, unknown>;
  readonly cleared: Record<string, unknown>;
  /** Every message the venue holds in the conversation, oldest first, as searchable text. */
  readonly received: (control: string, conversationId: string) => Promise<string[]>;
}

const VENUES: readonly VenueId[] = ['mexc', 'binance', 'bybit', 'multiwa', 'mixin'];
const PER_LANE = [5, 3]; // messages in the first and (where the venue has one) the second conversation
const MILLION = 1_000_000; // "the next n" counters armed far beyond what the test sends

const rows = async (base: string, path: string): Promise<string[]> => (await control<unknown[]>(base, path)).map((r) => JSON.stringify(r));

function firstAccount(info: SandboxReady, venue: VenueId) {
  const account = info.accounts.find((a) => a.venue === venue);
  if (!account) throw new Error(`the sandbox has no ${venue} account`);
  return account;
}

const PLANS: Readonly<Record<VenueId, VenuePlan>> = {
  mexc: {
    venue: 'mexc',
    account: (info) => ({ venue: 'mexc', label: 'Restart MEXC', credentials: firstAccount(info, 'mexc').credentials, endpoints: { rest: info.venues['mexc']!.endpoints['rest'], ws: info.venues['mexc']!.endpoints['ws'] } }),
    conversations: async (base) => {
      const state = await control<{ accounts: { apiKey: string }[]; orders: { apiKey: string; state: string; conversationId: number }[] }>(base, '/state');
      return state.orders.filter((o) => o.apiKey === state.accounts[0]!.apiKey && ['PAID', 'NOT_PAID'].includes(o.state)).map((o) => String(o.conversationId));
    },
    // Every chat socket cut and every new one refused: MEXC sends travel on the chat socket.
    faults: { dropAll: true, rejectUpgrades: MILLION },
    cleared: { rejectUpgrades: 0 },
    received: (base, id) => rows(base, `/messages?conversationId=${id}`),
  },
  binance: {
    venue: 'binance',
    account: (info) => ({ venue: 'binance', label: 'Restart Binance', credentials: firstAccount(info, 'binance').credentials, endpoints: { rest: info.venues['binance']!.endpoints['rest'] } }),
    conversations: async (base) => (await control<{ orderNo: string; status: string }[]>(base, '/orders?account=0')).filter((o) => ['TRADING', 'BUYER_PAYED'].includes(o.status)).map((o) => o.orderNo),
    // The socket cut, and every signed call (the chat credential a new socket needs) answered 503.
    faults: { dropAll: true, http5xx: MILLION },
    cleared: { http5xx: 0 },
    received: (base, id) => rows(base, `/messages?orderNo=${id}`),
  },
  bybit: {
    venue: 'bybit',
    account: (info) => ({ venue: 'bybit', label: 'Restart Bybit', credentials: firstAccount(info, 'bybit').credentials, endpoints: { rest: info.venues['bybit']!.endpoints['rest'] } }),
    conversations: async (base) => (await control<{ orderId: string; status: number }[]>(base, '/orders?account=0')).filter((o) => o.status === 10 || o.status === 20).map((o) => o.orderId),
    // Every call answered 429 (nothing run): REST is all Bybit has. (A 502 would leave the send's
    // outcome unknown: in flight until checked, not queued.)
    faults: { http429: MILLION },
    cleared: { http429: 0 },
    received: (base, id) => rows(base, `/messages?orderId=${id}`),
  },
  multiwa: {
    venue: 'multiwa',
    account: (info) => {
      const a = firstAccount(info, 'multiwa');
      return { venue: 'multiwa', label: 'Restart MultiWA', credentials: a.credentials, endpoints: a.endpoints, settings: a.settings };
    },
    conversations: async (base) => (await control<{ id: string }[]>(base, '/conversations?account=0')).map((c) => c.id),
    // Both live transports refused and cut: the account is not online, so its sends wait queued.
    // (A 500 on a send leaves its outcome unknown, and the gateway's 429 asks for a 60 s pause.)
    faults: { socketIoDisabled: true, plainWsDisabled: true },
    cleared: { socketIoDisabled: false, plainWsDisabled: false },
    received: (base, id) => rows(base, `/messages?conversationId=${id}`),
  },
  mixin: {
    venue: 'mixin',
    account: (info) => {
      const a = firstAccount(info, 'mixin');
      return { venue: 'mixin', label: 'Restart Mixin', credentials: a.credentials, endpoints: a.endpoints };
    },
    // The bot's conversations are the ones it learnt from users' messages.
    conversations: async (_base, api, accountId) => (await until(() => (api.conversations(accountId).length > 0 ? api.conversations(accountId) : undefined), 'a Mixin conversation')).map((c) => c.conversationId),
    // The Blaze socket cut, and every HTTP request (handshakes and REST sends) answered 429.
    faults: { dropSockets: true, http429: MILLION },
    cleared: { http429: 0 },
    // Mixin carries the text base64-encoded in `data`.
    received: async (base, id) => (await control<{ data?: string }[]>(base, `/messages?conversationId=${id}`)).map((v) => `${JSON.stringify(v)} ${Buffer.from(v.data ?? '', 'base64').toString('utf8')}`),
  },
};

const SENT_OR_LATER: ReadonlySet<string> = new Set(['sent', 'confirmed', 'delivered', 'read']);

async function activate(): Promise<VenueChatApi> {
  const extension = vscode.extensions.getExtension<VenueChatApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  return extension.activate();
}

const controlOf = (info: SandboxReady, venue: VenueId): string => {
  const base = info.venues[venue]?.control;
  if (!base) throw new Error(`the sandbox runs no ${venue} emulator`);
  return base;
};

/** Our stored rows carrying `text` in the conversation (the outgoing record and any echo merged into it). */
const storedRows = (api: VenueChatApi, lane: Lane, text: string): ChatMessage[] =>
  api.messages(lane.accountId, lane.conversationId, 100_000).filter((m) => m.text === text);

/** What each lane's venue received of its texts: every text's count, and the order of first arrival. */
async function atVenues(info: SandboxReady, lanes: readonly Lane[]): Promise<Map<Lane, { counts: Map<string, number>; order: string[] }>> {
  const out = new Map<Lane, { counts: Map<string, number>; order: string[] }>();
  for (const lane of lanes) {
    const received = await PLANS[lane.venue].received(controlOf(info, lane.venue), lane.conversationId);
    const counts = new Map<string, number>();
    const order: string[] = [];
    for (const row of received) {
      // Each text is unique to this run and lane, and none contains another.
      for (const text of lane.texts) {
        if (!row.includes(text)) continue;
        counts.set(text, (counts.get(text) ?? 0) + 1);
        if (!order.includes(text)) order.push(text);
      }
    }
    out.set(lane, { counts, order });
  }
  return out;
}

/** Everything wrong, one line per problem, naming the venue, the conversation and the message. */
async function problems(api: VenueChatApi, info: SandboxReady, lanes: readonly Lane[]): Promise<string[]> {
  const found: string[] = [];
  const venues = await atVenues(info, lanes);
  for (const lane of lanes) {
    const where = `${lane.venue} conversation ${lane.conversationId}`;
    const { counts, order } = venues.get(lane)!;
    for (const text of lane.texts) {
      const n = counts.get(text) ?? 0;
      if (n === 0) found.push(`${where}: "${text}" never reached the venue (lost)`);
      if (n > 1) found.push(`${where}: "${text}" reached the venue ${n} times (duplicated)`);
      const stored = storedRows(api, lane, text);
      if (stored.length !== 1) found.push(`${where}: "${text}" is stored ${stored.length} times (want 1 row)`);
      else if (!SENT_OR_LATER.has(stored[0]!.status ?? '')) found.push(`${where}: "${text}" is stored as ${stored[0]!.status}${stored[0]!.failure ? ` (${stored[0]!.failure})` : ''}, not sent`);
    }
    const composed = lane.texts.filter((t) => order.includes(t));
    if (order.join('\n') !== composed.join('\n')) found.push(`${where}: arrived in the order ${order.map((t) => lane.texts.indexOf(t) + 1).join(', ')}, composed 1..${lane.texts.length}`);
  }
  return found;
}

/** Makes every venue refuse or not answer, composes messages in turns across the conversations, and checks they wait queued. */
async function queueUnderFaults(api: VenueChatApi, info: SandboxReady, accounts: Readonly<Record<VenueId, string>>, batch: string): Promise<Lane[]> {
  const planned: { venue: VenueId; conversationId: string; count: number }[] = [];
  for (const venue of VENUES) {
    const ids = (await PLANS[venue].conversations(controlOf(info, venue), api, accounts[venue])).slice(0, PER_LANE.length);
    assert.ok(ids.length > 0, `${venue} has a conversation to send in`);
    for (const [i, conversationId] of ids.entries()) {
      await until(() => api.conversations(accounts[venue]).find((c) => c.conversationId === conversationId), `${venue} conversation ${conversationId} in the inbox`);
      planned.push({ venue, conversationId, count: PER_LANE[i]! });
    }
  }
  for (const venue of VENUES) await control(controlOf(info, venue), '/faults', PLANS[venue].faults);
  const lanes = planned.map((p): Lane => ({
    venue: p.venue,
    accountId: accounts[p.venue],
    conversationId: p.conversationId,
    texts: Array.from({ length: p.count }, (_, i) => `restart ${batch} ${p.venue} ${p.conversationId.slice(-6)} #${i + 1} of ${p.count}`),
  }));
  // Composed in turns across the conversations, as a person answering several chats would.
  const longest = Math.max(...lanes.map((l) => l.texts.length));
  for (let i = 0; i < longest; i++) {
    for (const lane of lanes) {
      const text = lane.texts[i];
      if (text) await vscode.commands.executeCommand('venueChat.sendMessage', { accountId: lane.accountId, conversationId: lane.conversationId, text });
    }
  }
  // Long enough for every lane to have tried (and been refused) at least once.
  await new Promise((r) => setTimeout(r, 3000));
  const notQueued: string[] = [];
  for (const lane of lanes) {
    for (const text of lane.texts) {
      const stored = storedRows(api, lane, text);
      // `sending`: a retry under way that the venue will refuse too (the lanes keep trying).
      if (stored.length !== 1 || !['queued', 'sending'].includes(stored[0]!.status ?? '')) notQueued.push(`${lane.venue}: "${text}" is ${stored.map((m) => `${m.status}${m.failure ? ` (${m.failure})` : ''}`).join(', ') || 'not stored'}`);
    }
  }
  assert.deepEqual(notQueued, [], 'every message is stored once, queued (or being retried), none failed');
  // What the user sees: each venue's first conversation in its pane, every message there as waiting.
  for (const venue of VENUES) {
    const lane = lanes.find((l) => l.venue === venue)!;
    await vscode.commands.executeCommand('venueChat.openConversation', { accountId: lane.accountId, conversationId: lane.conversationId });
    await until(async () => {
      const shown = await driver.count({ selector: lane.texts.map((t) => `.msg[data-key="${storedRows(api, lane, t)[0]!.key}"] :is(.status--queued, .status--sending)`).join(', '), scope: 'webview' });
      return shown === lane.texts.length || undefined;
    }, `the ${venue} pane showing its ${lane.texts.length} messages as waiting`);
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const arrived = [...(await atVenues(info, lanes)).entries()].flatMap(([lane, { order }]) => order.map((t) => `${lane.venue}: "${t}"`));
  assert.deepEqual(arrived, [], 'no message reached a venue while it refused');
  return lanes;
}

/** Waits until every lane's messages are at their venues and stored as sent, then checks once more a little later. */
async function assertResumed(api: VenueChatApi, info: SandboxReady, lanes: readonly Lane[]): Promise<void> {
  const total = lanes.reduce((n, l) => n + l.texts.length, 0);
  let last: string[] = [];
  try {
    await until(async () => {
      last = await problems(api, info, lanes);
      return last.length === 0 || undefined;
    }, `all ${total} messages sent`, 90_000);
  } catch {
    assert.fail(`${last.length} problem(s) with the ${total} messages queued before the quit:\n${last.join('\n')}`);
  }
  // A late duplicate (a resend despite the evidence) would come within the lanes' next turns.
  await new Promise((r) => setTimeout(r, 2000));
  assert.deepEqual(await problems(api, info, lanes), [], 'still exactly once a little later');
}

/** The next batch's faults go back off once VS Code has quit (the launcher makes these calls). */
const clearFaults = (): { path: string; body: unknown }[] => VENUES.map((venue) => ({ path: `/control/${venue}/faults`, body: PLANS[venue].cleared }));

interface Phase {
  api: VenueChatApi;
  info: SandboxReady;
}

function phaseSetup(): Phase {
  const phase = {} as Phase;
  before(async () => {
    phase.api = await activate();
    phase.info = sharedSandbox();
  });
  return phase;
}

const title = (what: string): string => `restart with queued sends, ${afterQuitText(quitBefore())}${quitAfter() ? `, before ${quitAfter() === 'kill' ? 'a kill' : 'an orderly quit'}` : ''}: ${what}`;

function queue(): void {
  describe(title('queue'), function () {
    this.timeout(120_000);
    const phase = phaseSetup();
    const accounts = {} as Record<VenueId, string>;

    it('adds an account of every venue; each comes online', async () => {
      // No scripted counterparty: the chats then hold only what we send, nothing quoting it.
      for (const venue of VENUES) await control(controlOf(phase.info, venue), '/faults', { counterparty: false });
      for (const venue of VENUES) {
        const id = await vscode.commands.executeCommand<string>('venueChat.addAccount', PLANS[venue].account(phase.info));
        assert.ok(id, `the ${venue} account was added`);
        accounts[venue] = id;
      }
      for (const venue of VENUES) await until(() => phase.api.accounts().find((a) => a.id === accounts[venue])?.state.kind === 'online' || undefined, `the ${venue} account online`, 30_000);
    });

    it('with every venue refusing or not answering, composes messages in one or two conversations per venue: all stay queued, none reaches a venue', async () => {
      const lanes = await queueUnderFaults(phase.api, phase.info, accounts, `${Date.now().toString(36)}a`);
      writeHandoff<QueuedHandoff>({ accounts, batches: [lanes], between: clearFaults() });
    });
  });
}

function resumeAndQueue(): void {
  describe(title('resume, then queue again'), function () {
    this.timeout(180_000);
    const phase = phaseSetup();
    let handoff: QueuedHandoff;
    before(() => {
      handoff = readHandoff<QueuedHandoff>();
    });

    it('finds the accounts again, keys included', () => accountsBack(phase.api, handoff));

    it('sends every message queued before the quit on its own: each reaches its venue exactly once, in compose order, and is stored once as sent', () => assertResumed(phase.api, phase.info, handoff.batches.flat()));

    it('queues a second batch while every venue refuses again', async () => {
      const lanes = await queueUnderFaults(phase.api, phase.info, handoff.accounts, `${Date.now().toString(36)}b`);
      writeHandoff<QueuedHandoff>({ accounts: handoff.accounts, batches: [...handoff.batches, lanes], between: clearFaults() });
    });
  });
}

function resume(): void {
  describe(title('resume'), function () {
    this.timeout(150_000);
    const phase = phaseSetup();
    let handoff: QueuedHandoff;
    before(() => {
      handoff = readHandoff<QueuedHandoff>();
    });

    it('finds the accounts again, keys included', () => accountsBack(phase.api, handoff));

    it('sends the last batch on its own, and every earlier message stays sent exactly once: each at its venue once, in compose order, stored once as sent', () => assertResumed(phase.api, phase.info, handoff.batches.flat()));
  });
}

async function accountsBack(api: VenueChatApi, handoff: QueuedHandoff): Promise<void> {
  for (const venue of VENUES) {
    const id = handoff.accounts[venue];
    await until(() => api.accounts().find((a) => a.id === id), `the ${venue} account after the restart`);
    assert.equal(await api.hasCredentials(id), true, `the ${venue} keys survived the restart`);
  }
}

export const phases: ScenarioModule['phases'] = { queue, 'resume-and-queue': resumeAndQueue, resume };
