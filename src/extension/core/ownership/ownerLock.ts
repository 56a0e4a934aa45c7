// Every VS Code window runs its own extension host, and they all share globalStorageUri. Two
// writers on one message log would lose messages (one compaction drops the other's appends), and
// two sets of venue connections would double-deliver. So one window owns the inbox; the others
// wait and take over when it closes. The lock is a file holding the owner's pid and a heartbeat.
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { systemClock, type Clock } from '../clock';
import { Emitter, type Disposable } from '../event';

interface LockContent {
  readonly pid: number;
  readonly token: string;
  readonly heartbeat: number;
}

export interface OwnerLockOptions {
  /** A heartbeat older than this means the owner died without releasing (crash, kill -9). */
  readonly staleMs?: number;
  readonly heartbeatMs?: number;
  readonly clock?: Clock;
  /** Whether a process is alive; injectable for tests. */
  readonly isAlive?: (pid: number) => boolean;
}

export class OwnerLock implements Disposable {
  private heartbeat: Disposable | undefined;
  private released = false;
  private inFlight: Promise<void> | undefined;
  private readonly lostEmitter = new Emitter<void>();
  /** Another window took the lock over (the user chose to use the inbox there): stop writing now. */
  readonly onLost = this.lostEmitter.event;

  private constructor(
    private readonly file: string,
    private readonly token: string,
    private readonly clock: Clock,
  ) {}

  /** Takes the lock if it is free or its owner is gone; undefined when another live window owns it. */
  static async tryAcquire(file: string, options: OwnerLockOptions = {}): Promise<OwnerLock | undefined> {
    const clock = options.clock ?? systemClock;
    const staleMs = options.staleMs ?? 20_000;
    const isAlive = options.isAlive ?? processAlive;
    await fs.mkdir(dirname(file), { recursive: true });
    const current = await readLock(file);
    if (current && current.pid !== process.pid && isAlive(current.pid) && clock.now() - current.heartbeat < staleMs) return undefined;
    const token = `${process.pid}-${clock.now()}-${Math.random().toString(36).slice(2)}`;
    const content: LockContent = { pid: process.pid, token, heartbeat: clock.now() };
    if (current) {
      // Take over a dead owner's lock: replace atomically, then re-read to lose gracefully to a racing window.
      await writeLockAtomically(file, content);
    } else {
      try {
        await fs.writeFile(file, JSON.stringify(content), { flag: 'wx' });
      } catch {
        return undefined; // another window created it first
      }
    }
    const check = await readLock(file);
    if (check?.token !== token) return undefined;
    const lock = new OwnerLock(file, token, clock);
    lock.heartbeat = clock.setInterval(() => void lock.beat(), options.heartbeatMs ?? 5000);
    return lock;
  }

  /**
   * Takes the lock from a live owner (the user asked to use the inbox in this window). The old
   * owner notices on its next heartbeat and stops; wait `handoverMs` (more than one heartbeat)
   * before writing anything.
   */
  static async takeOver(file: string, options: OwnerLockOptions = {}): Promise<OwnerLock> {
    const clock = options.clock ?? systemClock;
    await fs.mkdir(dirname(file), { recursive: true });
    const token = `${process.pid}-${clock.now()}-${Math.random().toString(36).slice(2)}`;
    await writeLockAtomically(file, { pid: process.pid, token, heartbeat: clock.now() });
    const lock = new OwnerLock(file, token, clock);
    lock.heartbeat = clock.setInterval(() => void lock.beat(), options.heartbeatMs ?? 5000);
    return lock;
  }

  private beat(): Promise<void> {
    // One beat at a time: overlapping beats under load must not interleave their writes.
    if (this.released || this.inFlight) return this.inFlight ?? Promise.resolve();
    this.inFlight = this.beatOnce().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async beatOnce(): Promise<void> {
    try {
      const current = await readLock(this.file);
      // Only a valid lock with another token means another window took over. A missing or
      // unreadable file (a crash mid-write, a manual delete) is simply rewritten.
      if (current && current.pid > 0 && current.token !== this.token) {
        this.heartbeat?.dispose();
        this.released = true;
        this.lostEmitter.fire();
        return;
      }
      if (this.released) return; // disposed while reading: do not recreate a released lock
      await writeLockAtomically(this.file, { pid: process.pid, token: this.token, heartbeat: this.clock.now() });
    } catch {
      // A missed heartbeat is tolerated; staleMs spans several.
    }
  }

  dispose(): void {
    this.lostEmitter.dispose();
    if (this.released) return;
    this.released = true;
    this.heartbeat?.dispose();
    // Only our own lock is removed, and only after a heartbeat in flight has finished writing.
    void (this.inFlight ?? Promise.resolve())
      .then(() => readLock(this.file))
      .then((current) => (current?.token === this.token ? fs.unlink(this.file) : undefined))
      .catch(() => undefined);
  }
}

let writes = 0;

/** Unique temp name per write, then rename: a reader sees the old or the new content, never a mix. */
async function writeLockAtomically(file: string, content: LockContent): Promise<void> {
  const tmp = `${file}.${process.pid}.${++writes}.tmp`;
  try {
    await fs.writeFile(tmp, JSON.stringify(content));
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.unlink(tmp).catch(() => undefined);
    throw err;
  }
}

async function readLock(file: string): Promise<LockContent | undefined> {
  try {
    const value = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<LockContent>;
    if (typeof value.pid === 'number' && typeof value.token === 'string' && typeof value.heartbeat === 'number') return value as LockContent;
    return { pid: -1, token: '', heartbeat: 0 }; // unreadable: treat as stale
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { pid: -1, token: '', heartbeat: 0 };
  }
}

function processAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
