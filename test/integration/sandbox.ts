// What the integration tests share: the extension's id, the sandbox (every venue emulator) as a
// child process with its control API, and polling until a condition holds.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const EXTENSION_ID = 'venue-chat.venue-chat';

/** The sandbox's ready JSON: every venue emulator, and every seeded account with its venue. */
export interface SandboxReady {
  control: string;
  venues: Record<string, { name: string; control: string; endpoints: Record<string, string> }>;
  accounts: { venue: string; label: string; credentials: Record<string, string>; endpoints: Record<string, string>; settings?: Record<string, string> }[];
}

/** The MEXC part of the ready JSON, checked once so the tests below read it typed. */
export interface MexcSandbox {
  /** Base of the MEXC control routes (`<control>/control/mexc`). */
  control: string;
  rest: string;
  ws: string;
  media: string;
  upload: string;
  accounts: { label: string; credentials: { apiKey: string; secretKey: string } }[];
}

/** One venue's part of the ready JSON: its control URL, the endpoints named, and its keyed accounts. */
function venuePart<E extends string>(info: SandboxReady, venue: string, endpoints: readonly E[]): { control: string; endpoints: Record<E, string>; accounts: { label: string; credentials: { apiKey: string; secretKey: string } }[] } {
  const part = info.venues[venue];
  const found = Object.fromEntries(endpoints.map((e) => [e, part?.endpoints[e]])) as Record<E, string | undefined>;
  if (!part || endpoints.some((e) => !found[e])) throw new Error(`the sandbox runs no complete ${venue} emulator: ${JSON.stringify(info.venues)}`);
  const accounts = info.accounts
    .filter((a) => a.venue === venue)
    .map((a) => {
      const { apiKey, secretKey } = a.credentials;
      if (!apiKey || !secretKey) throw new Error(`${venue} sandbox account ${a.label} has no keys`);
      return { label: a.label, credentials: { apiKey, secretKey } };
    });
  return { control: part.control, endpoints: found as Record<E, string>, accounts };
}

export function mexcOf(info: SandboxReady): MexcSandbox {
  const { control, endpoints, accounts } = venuePart(info, 'mexc', ['rest', 'ws', 'media', 'upload']);
  return { control, ...endpoints, accounts };
}

/** The Binance part of the ready JSON: the chat socket URL comes from the venue, so REST is the only endpoint. */
export interface BinanceSandbox {
  control: string;
  rest: string;
  media: string;
  accounts: { label: string; credentials: { apiKey: string; secretKey: string } }[];
}

export function binanceOf(info: SandboxReady): BinanceSandbox {
  const { control, endpoints, accounts } = venuePart(info, 'binance', ['rest', 'media']);
  return { control, ...endpoints, accounts };
}

/** A venue whose accounts are added as the ready JSON lists them (credentials, endpoints and settings as they are). */
export interface ListedSandbox {
  control: string;
  rest: string;
  accounts: { label: string; credentials: Record<string, string>; endpoints: Record<string, string>; settings: Record<string, string> }[];
}

function listedVenueOf(info: SandboxReady, venue: string): ListedSandbox {
  const part = info.venues[venue];
  const rest = part?.endpoints.rest;
  if (!part || !rest) throw new Error(`the sandbox runs no ${venue} emulator: ${JSON.stringify(info.venues)}`);
  return { control: part.control, rest, accounts: info.accounts.filter((a) => a.venue === venue).map((a) => ({ label: a.label, credentials: a.credentials, endpoints: a.endpoints, settings: a.settings ?? {} })) };
}

/** The Bybit part of the ready JSON: REST only; account 0 has an HMAC key, account 1 an RSA key. */
export type BybitSandbox = ListedSandbox;

export function bybitOf(info: SandboxReady): BybitSandbox {
  return listedVenueOf(info, 'bybit');
}

/** The MultiWA part: account 0 has an API key and a paired profile, account 1 an e-mail login whose profile waits for pairing. */
export type MultiwaSandbox = ListedSandbox;

export function multiwaOf(info: SandboxReady): MultiwaSandbox {
  return listedVenueOf(info, 'multiwa');
}

export interface SandboxOrder {
  advOrderNo: string;
  conversationId: number;
  state: string;
  apiKey: string;
  counterpartyNickName: string;
}

export interface SandboxMessage {
  id: number;
  content: string;
  self: boolean;
  time: number;
}

/** `extraArgs`: more sandbox flags, e.g. `['--active-orders', '30']`. */
export async function startSandbox(root: string, extraArgs: readonly string[] = []): Promise<{ child: ChildProcess; info: SandboxReady; mexc: MexcSandbox }> {
  const child = spawn(process.execPath, [join(root, 'dist', 'sandbox.js'), '--port', '0', '--reply-delay-ms', '400', '--exit-with-parent', ...extraArgs], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const info = await new Promise<SandboxReady>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('sandbox did not start')), 15000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('VENUE_CHAT_SANDBOX_READY ')) return;
      clearTimeout(timer);
      resolve(JSON.parse(line.slice('VENUE_CHAT_SANDBOX_READY '.length)) as SandboxReady);
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
  });
  try {
    return { child, info, mexc: mexcOf(info) };
  } catch (e) {
    child.kill();
    throw e;
  }
}

/** A control route of one venue's emulator: `base` is that venue's control URL from the ready JSON. */
export async function control<T>(base: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(base + path, body === undefined ? undefined : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`sandbox control ${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

export async function until<T>(fn: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 20000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await fn();
    if (value !== undefined && value !== false) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The Mixin part: one bot, its keystore JSON as the credential. */
export function mixinOf(info: SandboxReady): ListedSandbox {
  return listedVenueOf(info, 'mixin');
}
