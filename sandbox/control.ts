// The control API: JSON over HTTP on its own loopback port, for tests and for `npm start` users
// to steer the emulators. Venue-agnostic routes at the top; `/control/<venue>/...` goes to that
// venue's emulator: the standard verbs (state, reset, inject, faults) and its own routes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, TrackedServer, pathOf, rawQueryOf, readBody, sendJson } from './util/http';
import { SandboxInputError } from './util/input';
import type { ControlHandler, ControlRoutes, RunningEmulator } from './venueEmulator';

export interface ControlVenue {
  readonly id: string;
  readonly name: string;
  readonly emulator: RunningEmulator<unknown>;
}

export interface ControlTarget {
  info(): unknown;
  venues(): readonly ControlVenue[];
  /** Resets every emulator. */
  reset(): void;
}

type Method = 'GET' | 'POST';
type Route = Readonly<Partial<Record<Method, ControlHandler>>>;

const VENUE_PREFIX = '/control/';

/** The routes every venue has, served from the plug-in's standard methods. */
function standardRoutes(emulator: RunningEmulator<unknown>): ControlRoutes {
  return {
    '/state': { GET: () => emulator.state() },
    '/reset': {
      POST: () => {
        emulator.reset();
        return { ok: true };
      },
    },
    '/inject': { POST: (_q, body) => emulator.inject(body) },
    '/faults': { GET: () => emulator.faults(), POST: (_q, body) => emulator.applyFaults(body) },
  };
}

/** `GET /venues`: what runs and which control routes each venue answers. */
function describeVenues(target: ControlTarget): unknown {
  return target.venues().map((v) => {
    const routes = { ...standardRoutes(v.emulator), ...v.emulator.routes };
    return {
      id: v.id,
      name: v.name,
      endpoints: v.emulator.endpoints,
      accounts: v.emulator.accounts.length,
      routes: Object.entries(routes).flatMap(([path, r]) => Object.keys(r).map((method) => `${method} ${VENUE_PREFIX}${v.id}${path}`)),
    };
  });
}

const HOST_ROUTES: Readonly<Record<string, Readonly<Partial<Record<Method, (target: ControlTarget) => unknown>>>>> = {
  '/info': { GET: (t) => t.info() },
  '/health': { GET: (t) => ({ ok: true, venues: t.venues().map((v) => v.id) }) },
  '/venues': { GET: (t) => describeVenues(t) },
  '/state': { GET: (t) => ({ venues: Object.fromEntries(t.venues().map((v) => [v.id, v.emulator.state()])) }) },
  '/reset': {
    POST: (t) => {
      t.reset();
      return { ok: true };
    },
  },
};

type Resolved = { route: Route } | { status: 404; error: string };

function resolve(target: ControlTarget, path: string): Resolved {
  if (!path.startsWith(VENUE_PREFIX)) {
    const route = HOST_ROUTES[path];
    if (!route) return { status: 404, error: `no control route ${path}` };
    return { route: Object.fromEntries(Object.entries(route).map(([m, h]) => [m, () => h(target)])) };
  }
  const rest = path.slice(VENUE_PREFIX.length);
  const slash = rest.indexOf('/');
  const id = slash < 0 ? rest : rest.slice(0, slash);
  const venue = target.venues().find((v) => v.id === id);
  if (!venue) return { status: 404, error: `unknown venue "${id}"; running: ${target.venues().map((v) => v.id).join(', ') || 'none'}` };
  const sub = slash < 0 ? '' : rest.slice(slash);
  const route = standardRoutes(venue.emulator)[sub] ?? venue.emulator.routes[sub];
  if (!route) return { status: 404, error: `${venue.id} has no control route ${sub || '/'} (GET /venues lists them)` };
  return { route };
}

async function handle(target: ControlTarget, log: (line: string) => void, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = pathOf(req.url);
  const method = req.method ?? 'GET';
  const resolved = resolve(target, path);
  if ('status' in resolved) return sendJson(res, resolved.status, { error: resolved.error });
  const handler = method === 'GET' || method === 'POST' ? resolved.route[method] : undefined;
  if (!handler) return sendJson(res, 405, { error: 'method not allowed' });
  let body: unknown = undefined;
  try {
    const text = await readBody(req);
    // Inputs are validated again by the emulator's schemas; here it only has to be JSON.
    body = text.trim() === '' ? {} : (JSON.parse(text) as unknown);
  } catch (e) {
    return sendJson(res, e instanceof BodyTooLargeError ? 413 : 400, { error: 'body must be JSON' });
  }
  try {
    const result = await handler(new URLSearchParams(rawQueryOf(req.url)), body);
    if (method === 'POST') log(`control ${method} ${path}`);
    sendJson(res, 200, result);
  } catch (e) {
    if (e instanceof SandboxInputError) return sendJson(res, 400, { error: e.message });
    log(`control ${method} ${path} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    sendJson(res, 500, { error: 'internal error' });
  }
}

export function createControlServer(target: ControlTarget, log: (line: string) => void): TrackedServer {
  return new TrackedServer((req, res) => {
    void handle(target, log, req, res);
  });
}
