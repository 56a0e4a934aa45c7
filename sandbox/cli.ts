// Command-line front of the sandbox (bundled to dist/sandbox.js). The extension spawns it as a
// child process and reads exactly one stdout line: `VENUE_CHAT_SANDBOX_READY <info JSON>`.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { startSandbox, type Sandbox, type SandboxOptions } from './index';
import { EMULATORS } from './registry';

export const READY_PREFIX = 'VENUE_CHAT_SANDBOX_READY ';

export interface CliOptions {
  readonly sandbox: SandboxOptions;
  readonly exitWithParent: boolean;
  readonly help: boolean;
}

/** One `--<venue>-port` flag per registered emulator. */
const portFlags = EMULATORS.map((d) => ({ id: d.id, flag: `${d.id}-port`, name: d.name }));

export const USAGE = `Usage: node dist/sandbox.js [options]
Starts every venue emulator (${EMULATORS.map((d) => d.id).join(', ')}) and the control API.
  --host <addr>                 bind address (default 127.0.0.1)
  --port <n>                    control API port (default: a free port)
${portFlags.map((p) => `  ${`--${p.flag} <n>`.padEnd(30)}${p.name} main port (default: a free port)`).join('\n')}
  --heartbeat-timeout-ms <n>    close idle chat sockets after n ms (default 60000)
  --reply-delay-ms <n>          scripted counterparty reply delay (default 800)
  --seed <s>                    seed for accounts, orders and replies (default 1)
  --active-orders <n>           orders in progress per merchant account (default 2; a desk runs 10-30)
  --no-counterparty             the counterparty stays silent
  --pair-after-ms <n>           a WhatsApp profile waiting for its QR code "scans" it by itself after n ms (MultiWA; default: only POST /control/multiwa/pair)
  --exit-with-parent            exit when stdin closes (for child-process use)
  --quiet                       no request log on stderr`;

function intFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,10}$/.test(value)) throw new Error(`--${name} must be a non-negative integer`);
  return Number(value);
}

export function parseCliArgs(argv: readonly string[], log: (line: string) => void): CliOptions {
  const venuePortOptions: NonNullable<ParseArgsConfig['options']> = Object.fromEntries(portFlags.map((p) => [p.flag, { type: 'string' }]));
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      ...venuePortOptions,
      host: { type: 'string' },
      port: { type: 'string' },
      'heartbeat-timeout-ms': { type: 'string' },
      'reply-delay-ms': { type: 'string' },
      seed: { type: 'string' },
      'active-orders': { type: 'string' },
      'no-counterparty': { type: 'boolean' },
      'pair-after-ms': { type: 'string' },
      'exit-with-parent': { type: 'boolean' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const ports: Record<string, number> = {};
  const byName: Readonly<Record<string, unknown>> = values;
  for (const p of portFlags) {
    const value = byName[p.flag];
    const port = intFlag(p.flag, typeof value === 'string' ? value : undefined);
    if (port !== undefined) ports[p.id] = port;
  }
  const pairAfterMs = intFlag('pair-after-ms', values['pair-after-ms']);
  return {
    help: values.help === true,
    exitWithParent: values['exit-with-parent'] === true,
    sandbox: {
      host: values.host,
      controlPort: intFlag('port', values.port),
      ports,
      heartbeatTimeoutMs: intFlag('heartbeat-timeout-ms', values['heartbeat-timeout-ms']),
      counterpartyReplyDelayMs: intFlag('reply-delay-ms', values['reply-delay-ms']),
      counterparty: values['no-counterparty'] === true ? false : undefined,
      seed: values.seed,
      activeOrders: intFlag('active-orders', values['active-orders']),
      ...(pairAfterMs !== undefined ? { venues: { multiwa: { autoPairAfterMs: pairAfterMs } } } : {}),
      log: values.quiet === true ? undefined : log,
    },
  };
}

export interface CliIo {
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
}

/** Starts the sandbox and prints the ready line; the caller decides when to close it. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<Sandbox | undefined> {
  const options = parseCliArgs(argv, (line) => io.stderr(`[sandbox] ${line}`));
  if (options.help) {
    io.stdout(USAGE);
    return undefined;
  }
  const sandbox = await startSandbox(options.sandbox);
  io.stdout(READY_PREFIX + JSON.stringify(sandbox.info));
  return sandbox;
}
