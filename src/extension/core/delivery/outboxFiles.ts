// The outbox keeps its own copy of a file waiting to be uploaded, so a reload, a crash or the user
// moving the original cannot lose it between compose and upload. Copies are fsync'd before the
// outbox entry that names them is written, and removed when the message is finished.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { makeDirectoryDurably, removeFileIfExists, syncDirectory } from '../store/durableFs';

export class OutboxFiles {
  constructor(private readonly dir: string) {}

  /** Copies `source` durably under a name derived from the message's client id; returns the copy's path. */
  async keep(clientMessageId: string, source: string): Promise<string> {
    await makeDirectoryDurably(this.dir);
    const target = this.pathFor(clientMessageId);
    await fs.copyFile(source, target);
    const handle = await fs.open(target, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await syncDirectory(this.dir);
    return target;
  }

  async release(clientMessageId: string): Promise<void> {
    await removeFileIfExists(this.pathFor(clientMessageId));
  }

  /** Deletes copies no live entry names (left by a crash between copy and entry). */
  async prune(live: ReadonlySet<string>): Promise<void> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return;
    }
    for (const name of names) if (!live.has(name)) await removeFileIfExists(path.join(this.dir, name));
  }

  pathFor(clientMessageId: string): string {
    // Client ids are url-safe by protocol; the check keeps a bad one from naming another path.
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(clientMessageId)) throw new RangeError(`not a client message id: ${clientMessageId}`);
    return path.join(this.dir, clientMessageId);
  }
}
