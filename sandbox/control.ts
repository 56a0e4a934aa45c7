// The control API: JSON over HTTP on its own port, for tests and for `npm start` users to steer
// the emulators (inject messages, create orders, flip fault switches, read what clients sent).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, TrackedServer, pathOf, rawQueryOf, readBody, sendJson } from './util/http';
import type { MexcEmulator } from './mexc/emulator';
import { SandboxInputError } from './mexc/emulator';
import type { RequestRecord } from './mexc/records';

export interface ControlTarget {
  info(): unknown;
  readonly mexc: MexcEmulator;
  reset(): void;
}

type Handler = (target: ControlTarget, query: URLSearchParams, body: unknown) => unknown;

function optionalInt(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  if (!/^-?\d{1,15}$/.test(value)) throw new SandboxInputError(`${name} must be an integer`);
  return Number(value);
}

const REQUEST_KINDS: readonly RequestRecord['kind'][] = ['rest', 'upgrade', 'media'];

const ROUTES: Record<string, Partial<Record<'GET' | 'POST', Handler>>> = {
  '/info': { GET: (t) => t.info() },
  '/state': { GET: (t) => ({ info: t.info(), mexc: t.mexc.state() }) },
  '/mexc/requests': {
    GET: (t, q) => {
      const kind = q.get('kind') ?? undefined;
      if (kind !== undefined && !REQUEST_KINDS.includes(kind as RequestRecord['kind'])) throw new SandboxInputError('kind must be rest, upgrade or media');
      return t.mexc.requests({ sinceSeq: optionalInt(q, 'since'), kind: kind as RequestRecord['kind'] | undefined });
    },
  },
  '/mexc/frames': { GET: (t, q) => t.mexc.frames(optionalInt(q, 'conversationId')) },
  '/mexc/messages': { GET: (t, q) => t.mexc.messages(optionalInt(q, 'conversationId')) },
  '/mexc/sockets': { GET: (t) => t.mexc.sockets() },
  '/mexc/inject': { POST: (t, _q, body) => t.mexc.inject(body as Parameters<MexcEmulator['inject']>[0]) },
  '/mexc/orders': { POST: (t, _q, body) => t.mexc.createOrder(body as Parameters<MexcEmulator['createOrder']>[0]) },
  '/mexc/orders/state': { POST: (t, _q, body) => t.mexc.setOrderState(body as Parameters<MexcEmulator['setOrderState']>[0]) },
  '/mexc/faults': { GET: (t) => t.mexc.faults(), POST: (t, _q, body) => t.mexc.applyFaults(body as Parameters<MexcEmulator['applyFaults']>[0]) },
  '/mexc/sweep': {
    POST: (t) => {
      t.mexc.sweep();
      return { ok: true };
    },
  },
  '/reset': {
    POST: (t) => {
      t.reset();
      return { ok: true };
    },
  },
};

async function handle(target: ControlTarget, log: (line: string) => void, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = pathOf(req.url);
  const method = req.method ?? 'GET';
  const route = ROUTES[path];
  const handler = route && (method === 'GET' || method === 'POST') ? route[method] : undefined;
  if (!route) return sendJson(res, 404, { error: 'not found' });
  if (!handler) return sendJson(res, 405, { error: 'method not allowed' });
  let body: unknown = undefined;
  try {
    const text = await readBody(req);
    // Inputs are validated again by the emulator's zod schemas; here it only has to be JSON.
    body = text.trim() === '' ? {} : (JSON.parse(text) as unknown);
  } catch (e) {
    return sendJson(res, e instanceof BodyTooLargeError ? 413 : 400, { error: 'body must be JSON' });
  }
  try {
    const result = handler(target, new URLSearchParams(rawQueryOf(req.url)), body);
    if (method === 'POST') log(`control ${method} ${path}`);
    sendJson(res, 200, result);
  } catch (e) {
    if (e instanceof SandboxInputError) return sendJson(res, 400, { error: e.message });
    log(`control ${method} ${path} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    sendJson(res, 500, { error: 'internal error' });
  }
}

export function createControlServer(target: ControlTarget, log: (line: string) => void): TrackedServer {
  return new TrackedServer((req, res) => {
    void handle(target, log, req, res);
  });
}
