// A full disk, for real: the desk's storage folder is a small tmpfs of its own, and filling it with
// a ballast file makes every write the desk tries fail with ENOSPC until the ballast is removed.
// Mounting needs root (CAP_SYS_ADMIN); without it the soak runs on a plain folder and says that the
// full-disk fault was not run.
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class FullDisk {
  private constructor(
    readonly dir: string,
    readonly mounted: boolean,
    /** Why the fault cannot run here, when it cannot. */
    readonly unavailable?: string,
  ) {}

  /** Mounts a tmpfs of `sizeMb` on `dir` (an empty folder) when this process may. */
  static prepare(dir: string, sizeMb: number): FullDisk {
    if (process.platform !== 'linux') return new FullDisk(dir, false, 'not Linux');
    if (process.getuid?.() !== 0) return new FullDisk(dir, false, 'mounting a small tmpfs needs root');
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0700`, 'tmpfs', dir], { encoding: 'utf8' });
    if (mount.status !== 0) return new FullDisk(dir, false, `mount failed: ${(mount.stderr || mount.error?.message || '').trim()}`);
    return new FullDisk(dir, true);
  }

  private get ballast(): string {
    return join(this.dir, 'ballast.bin');
  }

  /** Fills the file system: resolves with the bytes written, once a write fails with ENOSPC. */
  fill(): number {
    if (!this.mounted) return 0;
    const chunk = Buffer.alloc(1 << 20, 0x61);
    const fd = openSync(this.ballast, 'w');
    let written = 0;
    try {
      for (;;) {
        const free = statfsSync(this.dir).bavail * statfsSync(this.dir).bsize;
        if (free === 0) break;
        written += writeSync(fd, chunk, 0, Math.min(chunk.length, free));
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
    } finally {
      closeSync(fd);
    }
    return written;
  }

  free(): void {
    rmSync(this.ballast, { force: true });
  }

  release(): void {
    this.free();
    if (this.mounted) spawnSync('umount', ['-l', this.dir]);
  }
}
