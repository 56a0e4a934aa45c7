// The sandbox (every venue emulator) as a child process of the harness, for tests that outlive one
// VS Code launch: the venues keep their state (messages received, faults armed) while VS Code is
// quit and started again. Tests inside one launch start their own (test/integration/sandbox.ts).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { killTree, outputTail } from './processes.mjs';

const READY_PREFIX = 'VENUE_CHAT_SANDBOX_READY ';

/**
 * Starts `dist/sandbox.js` on free loopback ports and resolves with its ready JSON.
 * @param {{ root: string, args?: string[], timeoutMs?: number }} options
 * @returns {Promise<{ info: object, stop: () => Promise<void> }>}
 */
export async function startSandboxProcess({ root, args = [], timeoutMs = 15_000 }) {
  // --exit-with-parent: stdin is our pipe, so the sandbox ends with the harness even if it is killed.
  const child = spawn(process.execPath, [join(root, 'dist', 'sandbox.js'), '--port', '0', '--quiet', '--exit-with-parent', ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const tail = outputTail(4000);
  child.stderr.on('data', (chunk) => tail.push(chunk.toString()));
  const stop = () => killTree(child.pid);
  try {
    const info = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the sandbox did not start within ${timeoutMs} ms\n${tail.text}`)), timeoutMs);
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (!line.startsWith(READY_PREFIX)) return;
        clearTimeout(timer);
        resolve(JSON.parse(line.slice(READY_PREFIX.length)));
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the sandbox exited (${code ?? signal}) before it was ready\n${tail.text}`));
      });
    });
    return { info, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
