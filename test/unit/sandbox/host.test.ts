// The sandbox host with emulators registered by the test: it starts every one, aggregates their
// accounts with their venue, and routes one control API by venue. The test emulators are small
// but real plug-ins: each binds its own loopback server and keeps what the control API sent it.
import * as assert from 'node:assert/strict';
import { z } from 'zod';
import { startSandboxWith, type EmulatorDefinition, type Sandbox } from '../../../sandbox/index';
import { TrackedServer, sendJson, urlHost } from '../../../sandbox/util/http';
import { SandboxInputError, parseInput } from '../../../sandbox/util/input';
import type { EmulatorRegistry } from '../../../sandbox/venueEmulator';

interface EchoHandle {
  readonly id: string;
  readonly greeting: string;
  readonly injected: string[];
  readonly seed: number | string;
  readonly common: Readonly<Record<string, unknown>>;
  resets: number;
  closed: boolean;
  slow: boolean;
}

interface EchoOptions {
  readonly greeting?: string;
}

interface EchoBehaviour {
  /** Throw from start() after binding (the emulator cleans up, as the contract asks). */
  readonly failStart?: boolean;
  /** Offer a venue route that shadows a standard one. */
  readonly shadowState?: boolean;
  /** Remembers every handle started, so a test can check that a failed start closed them. */
  readonly started?: EchoHandle[];
}

const injectSchema = z.object({ text: z.string().min(1) }).strict();
const faultSchema = z.object({ slow: z.boolean() }).strict();

function echoEmulator<Id extends string>(id: Id, name: string, behaviour: EchoBehaviour = {}): EmulatorDefinition<Id, EchoOptions, EchoHandle> {
  return {
    id,
    name,
    async start(ctx) {
      const handle: EchoHandle = {
        id, greeting: ctx.options?.greeting ?? 'hello', injected: [], seed: ctx.seed, common: { ...ctx.common }, resets: 0, closed: false, slow: false,
      };
      behaviour.started?.push(handle);
      const server = new TrackedServer((_req, res) => sendJson(res, 200, { venue: id, greeting: handle.greeting }));
      const close = async (): Promise<void> => {
        handle.closed = true;
        await server.close();
      };
      const port = await server.listen(ctx.host, ctx.port);
      if (behaviour.failStart) {
        await close();
        throw new Error(`${id} refused to start`);
      }
      const api = `http://${urlHost(ctx.host)}:${port}`;
      return {
        handle,
        endpoints: { api, docs: `${api}/docs` },
        accounts: [
          { label: `${name} one`, credentials: { token: `${id}-token-1` }, endpoints: { api }, settings: { mode: 'v2' } },
          { label: `${name} two`, credentials: { token: `${id}-token-2` }, endpoints: { api } },
        ],
        state: () => ({ injected: handle.injected.length, resets: handle.resets, slow: handle.slow }),
        inject: (input) => {
          handle.injected.push(parseInput(injectSchema, input).text);
          return { count: handle.injected.length };
        },
        faults: () => ({ slow: handle.slow }),
        applyFaults: (input) => {
          handle.slow = parseInput(faultSchema, input).slow;
          return { slow: handle.slow };
        },
        routes: {
          '/echo': {
            GET: (query) => {
              const say = query.get('say');
              if (!say) throw new SandboxInputError('say is required');
              return { venue: id, said: say };
            },
          },
          '/later': { POST: async () => ({ venue: id, later: await Promise.resolve(handle.injected.length) }) },
          ...(behaviour.shadowState ? { '/state': { GET: () => 'shadowed' } } : {}),
        },
        reset: () => {
          handle.injected.length = 0;
          handle.slow = false;
          handle.resets += 1;
        },
        close,
      };
    },
  };
}

async function control(sb: { info: { control: string } }, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${sb.info.control}${path}`, {
    method,
    headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as unknown };
}

const errorOf = (json: unknown): string => z.object({ error: z.string() }).parse(json).error;

describe('sandbox host: several emulators behind one control API', () => {
  const registry = [echoEmulator('alpha', 'Alpha Exchange'), echoEmulator('beta', 'Beta Messenger')] as const;
  let sb: Sandbox<typeof registry>;

  beforeEach(async () => {
    sb = await startSandboxWith(registry, { seed: 'fixed', counterpartyReplyDelayMs: 7, venues: { beta: { greeting: 'hi from beta' } } });
  });
  afterEach(() => sb.close());

  it('starts every registered emulator on its own loopback port, with its own options', async () => {
    assert.deepEqual(sb.venueIds, ['alpha', 'beta']);
    const alpha = z.object({ venue: z.string(), greeting: z.string() }).parse(await (await fetch(sb.info.venues.alpha!.endpoints.api!)).json());
    const beta = z.object({ venue: z.string(), greeting: z.string() }).parse(await (await fetch(sb.info.venues.beta!.endpoints.api!)).json());
    assert.deepEqual(alpha, { venue: 'alpha', greeting: 'hello' });
    assert.deepEqual(beta, { venue: 'beta', greeting: 'hi from beta' });
    assert.notEqual(sb.info.venues.alpha!.endpoints.api, sb.info.venues.beta!.endpoints.api);
    for (const v of Object.values(sb.info.venues)) assert.match(v.endpoints.api!, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(sb.venue('alpha').seed, 'fixed', 'the seed reaches every emulator');
    assert.equal(sb.venue('beta').common.counterpartyReplyDelayMs, 7, 'common options reach every emulator');
  });

  it('aggregates the accounts in registry order, each with its venue, credentials, endpoints and settings', () => {
    assert.deepEqual(sb.info.accounts, [
      { venue: 'alpha', label: 'Alpha Exchange one', credentials: { token: 'alpha-token-1' }, endpoints: { api: sb.info.venues.alpha!.endpoints.api }, settings: { mode: 'v2' } },
      { venue: 'alpha', label: 'Alpha Exchange two', credentials: { token: 'alpha-token-2' }, endpoints: { api: sb.info.venues.alpha!.endpoints.api } },
      { venue: 'beta', label: 'Beta Messenger one', credentials: { token: 'beta-token-1' }, endpoints: { api: sb.info.venues.beta!.endpoints.api }, settings: { mode: 'v2' } },
      { venue: 'beta', label: 'Beta Messenger two', credentials: { token: 'beta-token-2' }, endpoints: { api: sb.info.venues.beta!.endpoints.api } },
    ]);
    assert.deepEqual(sb.info.venues.beta, { name: 'Beta Messenger', control: `${sb.info.control}/control/beta`, endpoints: { api: sb.info.venues.beta!.endpoints.api, docs: `${sb.info.venues.beta!.endpoints.api}/docs` } });
  });

  it('routes the standard verbs and venue routes to the right emulator', async () => {
    assert.deepEqual((await control(sb, 'POST', '/control/beta/inject', { text: 'to beta' })).json, { count: 1 });
    assert.deepEqual(sb.venue('beta').injected, ['to beta']);
    assert.deepEqual(sb.venue('alpha').injected, [], 'alpha saw nothing');
    assert.deepEqual((await control(sb, 'POST', '/control/alpha/faults', { slow: true })).json, { slow: true });
    assert.deepEqual((await control(sb, 'GET', '/control/alpha/faults')).json, { slow: true });
    assert.equal(sb.venue('beta').slow, false);
    assert.deepEqual((await control(sb, 'GET', '/control/alpha/echo?say=ping')).json, { venue: 'alpha', said: 'ping' });
    assert.deepEqual((await control(sb, 'GET', '/control/beta/echo?say=pong')).json, { venue: 'beta', said: 'pong' });
    assert.deepEqual((await control(sb, 'POST', '/control/beta/later')).json, { venue: 'beta', later: 1 }, 'async handlers are awaited');
    assert.deepEqual((await control(sb, 'GET', '/control/beta/state')).json, { injected: 1, resets: 0, slow: false });
    assert.deepEqual((await control(sb, 'GET', '/state')).json, {
      venues: { alpha: { injected: 0, resets: 0, slow: true }, beta: { injected: 1, resets: 0, slow: false } },
    });
  });

  it('answers an unknown venue, an unknown route and a wrong method clearly', async () => {
    const venue = await control(sb, 'POST', '/control/gamma/inject', { text: 'x' });
    assert.equal(venue.status, 404);
    assert.equal(errorOf(venue.json), 'unknown venue "gamma"; running: alpha, beta');
    const route = await control(sb, 'GET', '/control/alpha/orders');
    assert.equal(route.status, 404);
    assert.equal(errorOf(route.json), 'alpha has no control route /orders (GET /venues lists them)');
    assert.equal((await control(sb, 'GET', '/control/')).status, 404);
    assert.equal((await control(sb, 'GET', '/control/alpha/inject')).status, 405);
    assert.equal((await control(sb, 'POST', '/control/alpha/echo')).status, 405);
    assert.equal(errorOf((await control(sb, 'POST', '/control/alpha/inject', { text: '' })).json).startsWith('text:'), true, 'the emulator\'s validation answers 400');
    assert.equal((await control(sb, 'POST', '/control/alpha/inject', { text: '' })).status, 400);
    assert.equal((await control(sb, 'GET', '/control/alpha/echo')).status, 400);
  });

  it('lists venues, health and routes', async () => {
    assert.deepEqual((await control(sb, 'GET', '/health')).json, { ok: true, venues: ['alpha', 'beta'] });
    const venues = z.array(z.object({ id: z.string(), name: z.string(), accounts: z.number(), routes: z.array(z.string()) })).parse((await control(sb, 'GET', '/venues')).json);
    assert.deepEqual(venues.map((v) => [v.id, v.name, v.accounts]), [['alpha', 'Alpha Exchange', 2], ['beta', 'Beta Messenger', 2]]);
    assert.deepEqual(venues[1]!.routes, [
      'GET /control/beta/state', 'POST /control/beta/reset', 'POST /control/beta/inject', 'GET /control/beta/faults', 'POST /control/beta/faults',
      'GET /control/beta/echo', 'POST /control/beta/later',
    ]);
  });

  it('resets one venue or all of them', async () => {
    await control(sb, 'POST', '/control/alpha/inject', { text: 'a' });
    await control(sb, 'POST', '/control/beta/inject', { text: 'b' });
    assert.deepEqual((await control(sb, 'POST', '/control/alpha/reset')).json, { ok: true });
    assert.deepEqual([sb.venue('alpha').injected, sb.venue('beta').injected], [[], ['b']]);
    await control(sb, 'POST', '/reset');
    assert.deepEqual([sb.venue('alpha').resets, sb.venue('beta').resets], [2, 1]);
    assert.deepEqual(sb.venue('beta').injected, []);
    sb.reset();
    assert.deepEqual([sb.venue('alpha').resets, sb.venue('beta').resets], [3, 2]);
  });

  it('refuses an unknown id for the typed handle and closes every emulator once', async () => {
    // An id outside the registry is a type error; a caller without types gets a clear throw.
    const untyped: { venue(id: string): unknown } = sb;
    assert.throws(() => untyped.venue('gamma'), /no emulator "gamma"/);
    const alpha = sb.venue('alpha');
    const beta = sb.venue('beta');
    await Promise.all([sb.close(), sb.close()]);
    assert.equal(alpha.closed && beta.closed, true);
    await assert.rejects(fetch(`${sb.info.control}/health`));
  });
});

describe('sandbox host: start-up problems', () => {
  it('closes the emulators that started when another one fails', async () => {
    const started: EchoHandle[] = [];
    const registry = [echoEmulator('alpha', 'Alpha', { started }), echoEmulator('beta', 'Beta', { started, failStart: true })] as const;
    await assert.rejects(startSandboxWith(registry), /beta refused to start/);
    assert.deepEqual(started.map((h) => [h.id, h.closed]), [['alpha', true], ['beta', true]]);
  });

  it('closes the emulators when the control port is taken', async () => {
    const first = await startSandboxWith([echoEmulator('alpha', 'Alpha')] as const);
    const started: EchoHandle[] = [];
    try {
      const port = Number(new URL(first.info.control).port);
      await assert.rejects(startSandboxWith([echoEmulator('beta', 'Beta', { started })] as const, { controlPort: port }), /EADDRINUSE/);
      assert.deepEqual(started.map((h) => h.closed), [true]);
    } finally {
      await first.close();
    }
  });

  it('passes a fixed port to its emulator', async () => {
    const probe = await startSandboxWith([echoEmulator('alpha', 'Alpha')] as const);
    const port = Number(new URL(probe.info.venues.alpha!.endpoints.api!).port);
    await probe.close();
    const sb = await startSandboxWith([echoEmulator('alpha', 'Alpha')] as const, { ports: { alpha: port } });
    try {
      assert.equal(sb.info.venues.alpha!.endpoints.api, `http://127.0.0.1:${port}`);
    } finally {
      await sb.close();
    }
  });

  it('rejects a registry with a duplicate or unusable id, or a route that shadows a standard one', async () => {
    await assert.rejects(startSandboxWith([echoEmulator('alpha', 'A'), echoEmulator('alpha', 'B')]), /two emulators share the id "alpha"/);
    await assert.rejects(startSandboxWith([echoEmulator('Alpha/1', 'A')]), /must be lowercase letters and digits/);
    const started: EchoHandle[] = [];
    await assert.rejects(startSandboxWith([echoEmulator('alpha', 'A', { shadowState: true, started })]), /control route \/state is a standard route/);
    assert.deepEqual(started.map((h) => h.closed), [true], 'the emulator is closed again');
  });

  it('starts with an empty registry (control API only)', async () => {
    const empty: EmulatorRegistry = [];
    const sb = await startSandboxWith(empty);
    try {
      assert.deepEqual(sb.info.accounts, []);
      assert.deepEqual(sb.info.venues, {});
      assert.deepEqual((await control(sb, 'GET', '/health')).json, { ok: true, venues: [] });
      assert.equal(errorOf((await control(sb, 'GET', '/control/mexc/state')).json), 'unknown venue "mexc"; running: none');
    } finally {
      await sb.close();
    }
  });
});
