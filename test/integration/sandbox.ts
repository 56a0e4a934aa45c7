// What the integration tests share: the extension's id, the MEXC sandbox as a child process with
// its control API, and polling until a condition holds.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const EXTENSION_ID = 'venue-chat.venue-chat';

export interface SandboxReady {
  control: string;
  venues: { mexc: { rest: string; ws: string; media: string; upload: string } };
  accounts: { venue: string; label: string; credentials: { apiKey: string; secretKey: string } }[];
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

export async function startSandbox(root: string): Promise<{ child: ChildProcess; info: SandboxReady }> {
  const child = spawn(process.execPath, [join(root, 'dist', 'sandbox.js'), '--port', '0', '--reply-delay-ms', '400', '--exit-with-parent'], {
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
  return { child, info };
}

export async function control<T>(info: SandboxReady, path: string, body?: unknown): Promise<T> {
  const res = await fetch(info.control + path, body === undefined ? undefined : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
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
