// Small process helpers shared by the harness scripts: run a command with a captured output tail,
// kill a whole process tree, pick a free loopback port.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';

/** Keeps only the last `max` characters of a growing output stream (for error messages). */
export function outputTail(max = 4000) {
  let text = '';
  return {
    push(chunk) { text = (text + chunk).slice(-max); },
    get text() { return text; },
  };
}

/**
 * Runs a command to completion. Output is captured (not echoed unless `echo`), and on a non-zero
 * exit the promise rejects with an Error carrying the command line and the output tail.
 */
export function run(cmd, args, { cwd, env, echo = false, tailChars = 4000 } = {}) {
  return new Promise((resolve, reject) => {
    const tail = outputTail(tailChars);
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const onData = (stream) => (chunk) => {
      tail.push(chunk.toString());
      if (echo) stream.write(chunk);
    };
    child.stdout.on('data', onData(process.stdout));
    child.stderr.on('data', onData(process.stderr));
    child.on('error', (err) => reject(Object.assign(err, { output: tail.text })));
    child.on('close', (code, signal) => {
      if (code === 0) return resolve({ output: tail.text });
      const err = new Error(`${cmd} ${args.join(' ')} exited with ${signal ?? code}${cwd ? ` (in ${cwd})` : ''}`);
      err.output = tail.text;
      reject(err);
    });
  });
}

/** Resolves with a port the OS considers free on 127.0.0.1 right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** True when something already listens on 127.0.0.1:port. */
export function portInUse(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(true));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(false)));
  });
}

// All live descendants of `pid`, found through /proc (Linux). VS Code's server forks helpers
// (extension host, pty host, file watcher) that a plain child.kill() would leave behind.
function descendants(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name (field 2) may contain spaces and parentheses: parse after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // The process ended while we were looking: nothing to collect.
    }
  }
  const out = [];
  const queue = [pid];
  while (queue.length) {
    const next = children.get(queue.shift()) ?? [];
    out.push(...next);
    queue.push(...next);
  }
  return out;
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops `pid` and everything it started: SIGTERM to the tree (and its process group when it leads
 * one), then SIGKILL to whatever is still alive after `graceMs`. `hard`: SIGKILL at once, as a
 * crash or `kill -9` would (nobody gets to clean up).
 */
export async function killTree(pid, { graceMs = 3000, hard = false } = {}) {
  if (!pid) return;
  if (hard) graceMs = 0;
  const signalAll = (signal) => {
    const targets = [pid, ...descendants(pid)];
    try { process.kill(-pid, signal); } catch { /* not a group leader or already gone */ }
    for (const p of targets) {
      try { process.kill(p, signal); } catch { /* already gone */ }
    }
    return targets;
  };
  let targets = signalAll(hard ? 'SIGKILL' : 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && targets.some(alive)) await new Promise((r) => setTimeout(r, 100));
  // Collect again: a dying parent may have forked late, and orphans are re-parented to init.
  targets = [...new Set([...targets, ...descendants(pid)])].filter(alive);
  for (const p of targets) {
    try { process.kill(p, 'SIGKILL'); } catch { /* already gone */ }
  }
}

/** Kills processes (and their trees) whose command line contains `argument` exactly, e.g. a unique temp path. */
export async function killByArgument(argument) {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let args;
    try { args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0'); } catch { continue; }
    if (args.includes(argument)) await killTree(Number(entry));
  }
}
