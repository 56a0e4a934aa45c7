// The soak's side of the desk process: starts it (this same bundle with --desk), passes messages
// both ways, kills it without warning (SIGKILL: no shutdown code runs, as when VS Code crashes or the
// machine loses power) and quits it in order.
import { fork, type ChildProcess } from 'node:child_process';
import type { FromDesk, ToDesk } from './deskProtocol';
import { DESK_FLAG } from './deskProtocol';

export interface DeskEvents {
  onMessage(message: FromDesk): void;
  /** The process ended without being asked to (a crash of the product, not one of our kills). */
  onUnexpectedExit(code: number | null, signal: NodeJS.Signals | null): void;
}

export class DeskProcess {
  private child: ChildProcess | undefined;
  private expectingExit = false;
  /** How many times a desk was started (1 + restarts). */
  starts = 0;

  constructor(
    private readonly script: string,
    private readonly configFile: string,
    private readonly events: DeskEvents,
  ) {}

  get running(): boolean {
    return this.child !== undefined;
  }

  /** Starts a desk and resolves once its accounts are added (their adapters connecting). */
  start(timeoutMs = 60_000): Promise<void> {
    if (this.child) throw new Error('the desk is already running');
    this.starts++;
    this.expectingExit = false;
    const child = fork(this.script, [DESK_FLAG, this.configFile], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--enable-source-maps'] });
    this.child = child;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the desk did not start within ${timeoutMs} ms`)), timeoutMs);
      child.on('message', (message: FromDesk) => {
        if (message.t === 'ready') {
          clearTimeout(timer);
          resolve();
        }
        this.events.onMessage(message);
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (this.child === child) this.child = undefined;
        if (!this.expectingExit) {
          this.events.onUnexpectedExit(code, signal);
          reject(new Error(`the desk exited (code ${String(code)}, signal ${String(signal)})`));
        }
      });
    });
  }

  send(message: ToDesk): boolean {
    if (!this.child?.connected) return false;
    this.child.send(message);
    return true;
  }

  /** SIGKILL, and resolves when the process is gone. */
  kill(): Promise<void> {
    const child = this.child;
    if (!child) return Promise.resolve();
    this.expectingExit = true;
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  /** An orderly quit: the desk closes its core; killed if it has not exited within `timeoutMs`. */
  async quit(timeoutMs = 30_000): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.expectingExit = true;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    this.send({ t: 'quit' });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }
}
