// Process wiring for the CLI: stdout carries only the ready line, logs go to stderr, and the
// process exits cleanly on SIGINT/SIGTERM or (with --exit-with-parent) when stdin closes.
import { parseCliArgs, runCli } from './cli';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  let exitWithParent: boolean;
  try {
    exitWithParent = parseCliArgs(argv, () => undefined).exitWithParent;
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
    return;
  }
  const sandbox = await runCli(argv, {
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
  });
  if (!sandbox) return;

  let stopping = false;
  const stop = (why: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`[sandbox] stopping (${why})\n`);
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    process.stdin.pause();
    sandbox.close().then(
      () => {
        // Everything is closed; exit now rather than wait on stdin or stray handles of the host.
        process.exit(0);
      },
      (e: unknown) => {
        process.stderr.write(`[sandbox] close failed: ${String(e)}\n`);
        process.exit(1);
      },
    );
  };
  const onSigint = (): void => stop('SIGINT');
  const onSigterm = (): void => stop('SIGTERM');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  if (exitWithParent) {
    process.stdin.on('end', () => stop('stdin closed'));
    process.stdin.on('close', () => stop('stdin closed'));
    process.stdin.on('error', () => stop('stdin error'));
    process.stdin.resume();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`[sandbox] failed to start: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
