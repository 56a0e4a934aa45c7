// What a phase of a multi-launch scenario shares with the launcher and with the next phase
// (scripts/lib/launchScenarios.mjs): the sandbox the launcher runs across the launches, how VS Code
// will be quit, and a JSON handoff file written by one phase and read by the next.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { SandboxReady } from '../sandbox';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: this scenario runs through scripts/integration.mjs`);
  return value;
}

/** The sandbox started by the launcher; it keeps its state while VS Code is quit and started again. */
export function sharedSandbox(): SandboxReady {
  return JSON.parse(readFileSync(required('VENUE_CHAT_TEST_SANDBOX'), 'utf8')) as SandboxReady;
}

export type Quit = 'orderly' | 'kill';

const quitFrom = (name: string): Quit | undefined => {
  const value = process.env[name];
  return value === 'orderly' || value === 'kill' ? value : undefined;
};

/** How the launcher ends VS Code after this phase (`orderly`: the extension deactivates; `kill`), if it does. */
export const quitAfter = (): Quit | undefined => quitFrom('VENUE_CHAT_TEST_QUIT');

/** How the launch before this one ended, if there was one. */
export const quitBefore = (): Quit | undefined => quitFrom('VENUE_CHAT_TEST_QUIT_BEFORE');

/** "after an orderly quit" / "after VS Code was killed", for test titles. */
export const afterQuitText = (quit: Quit | undefined): string => (quit === 'kill' ? 'after VS Code was killed' : quit === 'orderly' ? 'after an orderly quit' : 'on the first start');

export interface Handoff {
  /**
   * Sandbox control calls (POST, `path` under the sandbox's control URL) the launcher makes after
   * VS Code quit and before it starts again.
   */
  readonly between?: readonly { path: string; body: unknown }[];
}

export function writeHandoff<T extends Handoff>(handoff: T): void {
  const file = required('VENUE_CHAT_TEST_HANDOFF');
  writeFileSync(`${file}.tmp`, JSON.stringify(handoff, null, 2));
  renameSync(`${file}.tmp`, file);
}

export function readHandoff<T extends Handoff>(): T {
  return JSON.parse(readFileSync(required('VENUE_CHAT_TEST_HANDOFF'), 'utf8')) as T;
}
