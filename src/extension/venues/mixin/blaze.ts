// The Blaze connection (docs/venue-protocols.md, Mixin: Blaze) on the spine's reconnecting socket:
// subprotocol `Mixin-Blaze-1`, a fresh JWT (GET /) on every connect, binary gzip frames only, the
// server's pings as the heartbeat (30 s of silence is a dead link, as the Node SDK judges).
// Requests are correlated by id with a timeout; a timeout or a Blaze server error (7000/7001) is
// retried a few times with the same id, a 403 never is. `LIST_PENDING_MESSAGES` goes out after
// every connect, or nothing would be pushed. A 401 at the handshake stops the reconnecting.
import { randomUUID } from 'node:crypto';
import type { BackoffOptions } from '../../core/connection/backoff';
import { ReconnectingSocket, type CloseVerdict } from '../../core/connection/reconnectingSocket';
import type { Clock } from '../../core/clock';
import { DisposableStore, Emitter, type Disposable } from '../../core/event';
import type { Logger } from '../../core/logger';
import type { ConnectionState } from '../../../shared/model';
import { VenueError } from '../venue';
import { decodeBlazeFrame, encodeBlazeFrame, type BlazeInbound } from './blazeFrames';
import * as l10n from '@vscode/l10n';

export interface BlazeOptions {
  readonly url: string;
  /** A fresh handshake JWT (signed over GET + "/" + ""). */
  readonly token: () => string;
  /** How long a request waits for its reply before it is tried again. */
  readonly replyTimeoutMs?: number;
  readonly retries?: number;
  /** Silence (no frame, no ping) after which the link is dead. */
  readonly staleAfterMs?: number;
  readonly backoff?: BackoffOptions;
  readonly clock: Clock;
  readonly logger: Logger;
}

interface Waiting {
  resolve(frame: BlazeInbound): void;
  reject(err: Error): void;
}

const DEFAULT_REPLY_TIMEOUT_MS = 5000;
const DEFAULT_RETRIES = 2;

export class BlazeConnection implements Disposable {
  private readonly disposables = new DisposableStore();
  private readonly socket: ReconnectingSocket;
  private readonly waiting = new Map<string, Waiting>();
  private readonly pushes = new Emitter<BlazeInbound>();
  private readonly problems = new Emitter<string>();
  private readonly opened = new Emitter<void>();

  /** Frames the server sent on its own (CREATE_MESSAGE, ACKNOWLEDGE_MESSAGE_RECEIPT, …). */
  readonly onPush = this.pushes.event;
  readonly onProblem = this.problems.event;
  /** After every connect, once LIST_PENDING_MESSAGES was accepted. */
  readonly onListening = this.opened.event;

  constructor(private readonly options: BlazeOptions) {
    this.socket = this.disposables.add(
      new ReconnectingSocket({
        name: 'Mixin Blaze',
        clock: options.clock,
        logger: options.logger,
        heartbeat: { pinger: 'server', intervalMs: 5000, staleAfterMs: options.staleAfterMs ?? 30_000 },
        ...(options.backoff ? { backoff: options.backoff } : {}),
        resolveTarget: () => Promise.resolve({ url: options.url, protocols: ['Mixin-Blaze-1'], headers: { Authorization: `Bearer ${options.token()}` } }),
        onUpgradeRejected: (status): CloseVerdict =>
          status === 401 || status === 403
            ? { action: 'auth', reason: l10n.t("Mixin refused the bot's token (HTTP {0}): check the keystore and this computer's clock", status) }
            : { action: 'retry', reason: l10n.t('Mixin refused the Blaze connection (HTTP {0})', status) },
      }),
    );
    this.disposables.add(this.socket.onFrame((frame) => (frame.kind === 'binary' ? this.onBinary(frame.data) : this.problems.fire(`a ${frame.kind} frame on Blaze (only binary frames are allowed)`))));
    this.disposables.add(this.socket.onBadInput((detail) => this.problems.fire(detail)));
    this.disposables.add(this.socket.onOpen(() => void this.listen()));
    this.disposables.add(
      this.socket.onState((state) => {
        if (state.kind !== 'online') this.failWaiting(l10n.t('the Blaze connection closed before the reply came'));
      }),
    );
  }

  get onState(): ReconnectingSocket['onState'] {
    return this.socket.onState;
  }

  get state(): ConnectionState {
    return this.socket.state;
  }

  get isOpen(): boolean {
    return this.socket.isOpen;
  }

  start(): void {
    this.socket.start();
  }

  stop(): Promise<void> {
    return this.socket.stop();
  }

  reconnectNow(): void {
    this.socket.reconnectNow();
  }

  /** Sends a request and waits for its reply (retried on a timeout or a Blaze server error, never on 403). */
  async request(action: string, params?: unknown): Promise<unknown> {
    const id = randomUUID();
    const retries = this.options.retries ?? DEFAULT_RETRIES;
    let lastError: Error | undefined;
    for (let attempt = 0; attempt <= retries; attempt++) {
      try {
        const reply = await this.once(id, action, params);
        if (reply.error) {
          const { code, description } = reply.error;
          const err = new VenueError(code === 403 ? 'rejected' : code === 401 ? 'auth' : code === 7000 || code === 7001 ? 'unknown-outcome' : code === 429 ? 'rate-limit' : 'rejected', description ? l10n.t({ message: 'Mixin {0}: {1} ({2})', args: [action, description, code], comment: ['{0} is the Blaze action, {1} Mixin\'s own words, {2} its error code.'] }) : l10n.t({ message: 'Mixin {0}: error {1}', args: [action, code], comment: ['{0} is the Blaze action, {1} Mixin\'s error code.'] }), code);
          if (code !== 7000 && code !== 7001) throw err;
          lastError = err;
          continue;
        }
        return reply.data;
      } catch (err) {
        if (err instanceof VenueError && err.kind !== 'unknown-outcome') throw err;
        lastError = err instanceof Error ? err : new Error(String(err));
      }
    }
    throw lastError instanceof VenueError ? lastError : new VenueError('unknown-outcome', lastError ? l10n.t({ message: 'Mixin {0}: {1}', args: [action, lastError.message], comment: ['{0} is the Blaze action, {1} why it failed.'] }) : l10n.t({ message: 'Mixin {0}: no reply', args: [action], comment: ['{0} is the Blaze action.'] }));
  }

  dispose(): void {
    this.failWaiting(l10n.t('the Blaze connection was closed'));
    this.disposables.dispose();
    this.pushes.dispose();
    this.problems.dispose();
    this.opened.dispose();
  }

  private once(id: string, action: string, params: unknown): Promise<BlazeInbound> {
    if (!this.socket.isOpen) return Promise.reject(new VenueError('unavailable', l10n.t('the Blaze connection is not open')));
    return new Promise<BlazeInbound>((resolve, reject) => {
      const timer = this.options.clock.setTimeout(() => {
        this.waiting.delete(id);
        reject(new VenueError('unknown-outcome', l10n.t('no reply to {0} within {1} ms', action, this.options.replyTimeoutMs ?? DEFAULT_REPLY_TIMEOUT_MS)));
      }, this.options.replyTimeoutMs ?? DEFAULT_REPLY_TIMEOUT_MS);
      this.waiting.set(id, {
        resolve: (frame) => {
          timer.dispose();
          resolve(frame);
        },
        reject: (err) => {
          timer.dispose();
          reject(err);
        },
      });
      if (!this.socket.send(encodeBlazeFrame({ id, action, ...(params !== undefined ? { params } : {}) }))) {
        this.waiting.delete(id);
        timer.dispose();
        reject(new VenueError('unavailable', l10n.t('the Blaze connection closed before the request left')));
      }
    });
  }

  private async listen(): Promise<void> {
    try {
      await this.request('LIST_PENDING_MESSAGES');
      this.opened.fire();
    } catch (err) {
      this.problems.fire(`LIST_PENDING_MESSAGES failed: ${err instanceof Error ? err.message : String(err)}`);
      this.socket.reconnectNow();
    }
  }

  private onBinary(bytes: Buffer): void {
    const decoded = decodeBlazeFrame(bytes);
    if (!decoded.ok) return this.problems.fire(decoded.problem);
    const frame = decoded.frame;
    const waiting = frame.id ? this.waiting.get(frame.id) : undefined;
    // A reply reuses the request id; a push (even one echoing an action name) has an id of its own.
    if (waiting && frame.id) {
      this.waiting.delete(frame.id);
      waiting.resolve(frame);
      return;
    }
    if (frame.error) return this.problems.fire(`Blaze error ${frame.error.code}: ${frame.error.description}`);
    this.pushes.fire(frame);
  }

  private failWaiting(reason: string): void {
    for (const [id, w] of this.waiting) {
      this.waiting.delete(id);
      w.reject(new VenueError('unknown-outcome', reason));
    }
  }
}
