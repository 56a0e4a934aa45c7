// The desk: what the extension host runs for the inbox (the delivery core, the production venue
// bundles, each account's adapter), in a child process the chaos soak sends messages through and
// kills. Accounts are built as the host builds them (checked keys, resolved settings, the keys
// registered with the log's redactor); the account state store is a JSON file standing in for VS
// Code's global state, so what adapters learn survives a restart as it does in VS Code.
import { appendFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PersistedAccountState, type StateBackend } from '../../src/extension/core/accounts/accountStateStore';
import { openDeliveryCore, type DeliveryCore } from '../../src/extension/core/deliveryCore';
import type { Logger } from '../../src/extension/core/logger';
import { Redactor } from '../../src/extension/core/redact';
import { checkCredentialValues, resolveSettings, secretValuesOf } from '../../src/extension/venues/accountInput';
import { VenueLoader, venueDescriptor } from '../../src/extension/venues/registry';
import type { VenueId } from '../../src/shared/model';
import type { DeskConfig, FromDesk, ToDesk } from './deskProtocol';

function tell(message: FromDesk): void {
  process.send?.(message);
}

/** Global state as one JSON file, replaced atomically on every update. */
class FileState implements StateBackend {
  private values: Record<string, unknown>;

  constructor(private readonly file: string) {
    try {
      this.values = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      this.values = {};
    }
  }

  get(key: string): unknown {
    return this.values[key];
  }

  update(key: string, value: unknown): Promise<void> {
    this.values = { ...this.values, [key]: value };
    writeFileSync(`${this.file}.tmp`, JSON.stringify(this.values));
    renameSync(`${this.file}.tmp`, this.file);
    return Promise.resolve();
  }
}

/**
 * The log as the host writes it (redacted), to a file outside the desk's folder; errors are counted
 * by the soak from it. Lines that cannot be written (the file system full) wait in memory for the
 * next write, so a post-mortem sees what happened while the disk was full.
 */
function fileLogger(file: string, redactor: Redactor): Logger {
  let waiting = '';
  const write = (level: string, message: string | Error, args: unknown[]) => {
    const text = [typeof message === 'string' ? message : `${message.name}: ${message.message}`, ...args.map((a) => redactor.format(a))].join(' ');
    waiting += `${new Date().toISOString()} ${process.pid} [${level}] ${redactor.redact(text)}\n`;
    try {
      appendFileSync(file, waiting);
      waiting = '';
    } catch {
      // Kept for the next line.
    }
  };
  return {
    trace: () => undefined,
    debug: (m, ...a) => write('debug', m, a),
    info: (m, ...a) => write('info', m, a),
    warn: (m, ...a) => write('warn', m, a),
    error: (m, ...a) => write('error', m, a),
  };
}

export async function runDesk(configFile: string): Promise<void> {
  const config = JSON.parse(readFileSync(configFile, 'utf8')) as DeskConfig;
  const redactor = new Redactor();
  const log = fileLogger(config.logFile, redactor);
  process.on('uncaughtException', (err) => {
    log.error(`uncaught: ${err.stack ?? err.message}`);
    tell({ t: 'unhandled', error: redactor.redact(err.stack ?? err.message) });
  });
  process.on('unhandledRejection', (reason) => {
    const text = reason instanceof Error ? (reason.stack ?? reason.message) : String(reason);
    log.error(`unhandled rejection: ${text}`);
    tell({ t: 'unhandled', error: redactor.redact(text) });
  });

  const started = performance.now();
  const core: DeliveryCore = await openDeliveryCore({ storageDir: config.storageDir, logger: log });
  const { hub } = core;
  log.info(`desk: delivery core open in ${(performance.now() - started).toFixed(0)} ms`);
  void core.outbox.whenReady().then(
    () => log.info(`desk: outbox ready ${(performance.now() - started).toFixed(0)} ms after start`),
    () => undefined,
  );
  for (const problem of [...core.storeProblems, ...core.outboxProblems]) log.warn(`repaired on open: ${problem}`);
  hub.onMessages((e) => {
    const texts = e.messages.filter((m) => m.direction === 'in' && m.text !== undefined).map((m) => m.text!);
    if (texts.length > 0) tell({ t: 'stored', accountId: e.accountId, texts });
    for (const m of e.messages) if (m.direction === 'out' && m.status === 'failed' && m.clientMessageId) tell({ t: 'failed', id: m.clientMessageId, failure: m.failure ?? '' });
  });
  hub.onBadInput((e) => log.warn(`bad input on ${e.where}: ${e.detail}`));

  const state = new FileState(join(config.storageDir, 'globalState.json'));
  const venues = VenueLoader.fromDirectory(config.venuesDir);
  for (const { id, account } of config.accounts) {
    const venue = account.venue as VenueId;
    const descriptor = venueDescriptor(venue);
    const checked = checkCredentialValues(descriptor, account.credentials);
    if (!checked.ok) throw new Error(`${account.label}: ${checked.problem}`);
    for (const secret of secretValuesOf(descriptor, checked.value)) redactor.addSecret(secret);
    const adapter = venues.createAdapter(venue, {
      accountId: id,
      credentials: checked.value,
      endpoints: account.endpoints,
      settings: resolveSettings(descriptor, account.settings),
      state: new PersistedAccountState(state, id, redactor),
      redactor,
      mediaDir: join(config.storageDir, 'media', id),
      options: {},
      logger: log,
    });
    await hub.addAccount({ id, venue, label: account.label }, adapter);
  }

  // The soak is gone (interrupted, or crashed): nothing will ever quit or kill this desk.
  let closing = false;
  process.on('disconnect', () => {
    if (!closing) process.exit(0);
  });
  process.on('message', (raw: ToDesk) => {
    if (raw.t === 'quit') {
      closing = true;
      void core.close().then(
        () => (tell({ t: 'closed' }), process.disconnect()),
        (err: unknown) => (tell({ t: 'unhandled', error: `close: ${String(err)}` }), process.disconnect()),
      );
      return;
    }
    if (raw.t === 'lookup') {
      const found = new Map<string, string[]>();
      const inbound = new Map<string, Set<string>>();
      for (const m of raw.messages) {
        const key = `${m.accountId}\u0000${m.conversationId}`;
        let texts = inbound.get(key);
        if (!texts) {
          texts = new Set(core.store.page(m.accountId, m.conversationId, { limit: 1_000_000 }).messages.filter((s) => s.direction === 'in').map((s) => s.text ?? ''));
          inbound.set(key, texts);
        }
        if (texts.has(m.text)) found.set(m.accountId, [...(found.get(m.accountId) ?? []), m.text]);
      }
      for (const [accountId, texts] of found) tell({ t: 'stored', accountId, texts });
      return;
    }
    if (raw.t === 'reconnect') {
      void hub.reconnect(raw.accountId).catch((err: unknown) => log.error(`reconnect of ${raw.accountId} failed: ${String(err)}`));
      return;
    }
    if (raw.t === 'retry') {
      void hub.retry(raw.id).catch((err: unknown) => log.error(`retry of ${raw.id} failed: ${String(err)}`));
      return;
    }
    hub.send({ clientMessageId: raw.id, accountId: raw.accountId, conversationId: raw.conversationId, kind: 'text', text: raw.text }).then(
      // The outbox's compose time is the order the product must keep (a message queued before a kill keeps its first one).
      () => tell({ t: 'accepted', id: raw.id, composedAt: core.outbox.get(raw.id)?.composedAt ?? Date.now() }),
      (err: unknown) => tell({ t: 'refused', id: raw.id, error: redactor.redact(err instanceof Error ? err.message : String(err)) }),
    );
  });
  log.info(`desk: ${config.accounts.length} accounts added ${(performance.now() - started).toFixed(0)} ms after start`);
  tell({ t: 'ready' });
}
