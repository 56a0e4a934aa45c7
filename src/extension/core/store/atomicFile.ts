// Small JSON files written atomically (temp file + fsync + rename), for metadata that is
// rewritten whole (conversation list). Logs that grow use AppendLog instead.
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';

export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await fs.mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const handle = await fs.open(tmp, 'w');
  try {
    await handle.writeFile(JSON.stringify(value), 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, file);
}

/** The parsed file, or undefined when it is missing or unreadable (never throws). */
export async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}
