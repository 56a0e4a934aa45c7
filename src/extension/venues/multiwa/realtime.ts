// MultiWA's realtime channel over the spine's reconnecting socket, on either transport
// (docs/venue-protocols.md, MultiWA: realtime): Socket.IO (namespace `/ws`, `join {profileId}` with
// an ack; Engine.IO keeps the heartbeat) or the plain WebSocket API (`/ws?apiKey=`, `subscribe`
// with a requestId, our `ping` every 30 s). `auto` starts with Socket.IO and moves to the other
// transport whenever a connection fails before it opened, so a server that has only one of them
// is found on the second attempt, and a server that has both keeps the first that works.
import type { BackoffOptions } from '../../core/connection/backoff';
import { ReconnectingSocket, type CloseVerdict, type Frame, type SocketTarget, type Transport } from '../../core/connection/reconnectingSocket';
import { socketIoTransport } from '../../core/connection/socketIoTransport';
import { wsTransport } from '../../core/connection/wsTransport';
import type { Clock } from '../../core/clock';
import { DisposableStore, Emitter, type Disposable } from '../../core/event';
import type { Logger } from '../../core/logger';
import type { ConnectionState } from '../../../shared/model';
import { VenueError } from '../venue';
import type { MultiwaAuth } from './auth';
import { decodePlainFrame, decodeSocketIoEvent, type RealtimeEvent } from './realtimeEvents';
import * as l10n from '@vscode/l10n';

export type TransportMode = 'auto' | 'socketio' | 'websocket';
export type TransportName = 'socketio' | 'websocket';

export function transportModeOf(value: unknown): TransportMode {
  return value === 'socketio' || value === 'websocket' ? value : 'auto';
}

export interface MultiwaRealtimeOptions {
  /** The gateway as the user gave it (its path prefix, if any, is kept; `/api/v1` is not). */
  readonly baseUrl: string;
  readonly auth: MultiwaAuth;
  readonly profileId: string;
  readonly mode: TransportMode;
  /** Plain WebSocket ping interval (the docs' 30 s); also the silence check for Socket.IO. */
  readonly pingMs?: number;
  readonly backoff?: BackoffOptions;
  /**
   * Runs before every connect: a refused key must stop the reconnecting (a gateway cuts a socket
   * with bad credentials right after connecting, which looks like a drop), so the adapter checks
   * the key over REST first; a VenueError('auth') parks the socket in auth-error.
   */
  readonly beforeConnect?: () => Promise<void>;
  readonly clock: Clock;
  readonly logger: Logger;
}

const DEFAULT_PING_MS = 30_000;
/** How long a subscription waits for the gateway's ack (Socket.IO `join`, the plain API's `ack`). */
const SUBSCRIBE_ACK_MS = 10_000;

/** The gateway's origin and path prefix, without `/api/v1`. */
export function gatewayRoot(baseUrl: string): { origin: string; prefix: string } {
  const url = new URL(baseUrl);
  const prefix = url.pathname.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
  return { origin: url.origin, prefix };
}

export class MultiwaRealtime implements Disposable {
  private readonly disposables = new DisposableStore();
  private readonly events = new Emitter<RealtimeEvent>();
  private readonly problems = new Emitter<string>();
  private readonly subscribedEmitter = new Emitter<{ readonly transport: TransportName; readonly afterOutage: boolean }>();
  private readonly socket: ReconnectingSocket;
  private current: TransportName;
  private requestSeq = 0;
  private everOpened = false;
  /** Counts the links opened: a subscription answered after its link closed is dropped. */
  private links = 0;
  /** Plain API subscriptions waiting for their `ack`, by requestId. */
  private readonly awaitingAck = new Map<string, (acked: boolean) => void>();

  /** Decoded events, in order. */
  readonly onEvent = this.events.event;
  /** Frames that could not be read (bad input), and subscription refusals. */
  readonly onProblem = this.problems.event;
  /** Subscribed to the profile on a fresh link; `afterOutage` when something may have been missed. */
  readonly onSubscribed = this.subscribedEmitter.event;

  constructor(private readonly options: MultiwaRealtimeOptions) {
    this.current = options.mode === 'websocket' ? 'websocket' : 'socketio';
    const root = gatewayRoot(options.baseUrl);
    const transports: Record<TransportName, Transport> = {
      socketio: socketIoTransport({ path: `${root.prefix}/socket.io/` }),
      websocket: wsTransport,
    };
    const pingMs = options.pingMs ?? DEFAULT_PING_MS;
    this.socket = this.disposables.add(
      new ReconnectingSocket({
        name: 'MultiWA realtime',
        clock: options.clock,
        logger: options.logger,
        transport: this.switchingTransport(transports),
        // Engine.IO pings every 25 s (answered by socket.io-client) and the plain API wants our
        // ping every 30 s: either way, silence for two rounds and a half means a dead link.
        heartbeat: { intervalMs: pingMs, staleAfterMs: Math.round(pingMs * 2.5), send: (link) => this.ping(link) },
        ...(options.backoff ? { backoff: options.backoff } : {}),
        resolveTarget: () => this.target(root),
        onUpgradeRejected: (status): CloseVerdict =>
          status === 401 || status === 403
            ? { action: 'auth', reason: l10n.t('the gateway refused the realtime connection (HTTP {0}): check the API key', status) }
            : { action: 'retry', reason: l10n.t({ message: 'the gateway refused the {0} connection (HTTP {1})', args: [this.current === 'socketio' ? 'Socket.IO' : 'WebSocket', status], comment: ['{0} is a protocol name: Socket.IO or WebSocket.'] }) },
      }),
    );
    this.disposables.add(this.socket.onFrame((frame) => this.onFrame(frame)));
    this.disposables.add(this.socket.onBadInput((detail) => this.problems.fire(detail)));
    this.disposables.add(this.socket.onOpen(({ outage }) => void this.subscribe(outage !== undefined)));
  }

  get onState(): ReconnectingSocket['onState'] {
    return this.socket.onState;
  }

  get state(): ConnectionState {
    return this.socket.state;
  }

  /** The transport in use (or being tried). */
  get transport(): TransportName {
    return this.current;
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

  dispose(): void {
    this.disposables.dispose();
    this.events.dispose();
    this.problems.dispose();
    this.subscribedEmitter.dispose();
    for (const settle of [...this.awaitingAck.values()]) settle(false);
  }

  private async target(root: { origin: string; prefix: string }): Promise<SocketTarget> {
    await this.options.beforeConnect?.();
    const auth = await this.options.auth.socketAuth();
    if (this.current === 'socketio') return { url: `${root.origin}${root.prefix}/ws`, auth };
    const url = new URL(`${root.origin.replace(/^http/, 'ws')}${root.prefix}/ws`);
    if ('apiKey' in auth) url.searchParams.set('apiKey', auth.apiKey);
    else url.searchParams.set('token', auth.token);
    return { url: url.toString() };
  }

  /** Delegates to the transport in use; in auto mode a link that never opened moves to the other one. */
  private switchingTransport(transports: Record<TransportName, Transport>): Transport {
    return {
      connect: (target, handlers, connectOptions) => {
        const used = this.current;
        let opened = false;
        const flip = () => {
          if (this.options.mode !== 'auto' || opened || this.everOpened || this.current !== used) return;
          this.current = used === 'socketio' ? 'websocket' : 'socketio';
          this.options.logger.info(`${used === 'socketio' ? 'Socket.IO' : 'the plain WebSocket API'} did not answer; trying ${this.current === 'socketio' ? 'Socket.IO' : 'the plain WebSocket API'}`);
        };
        return transports[used].connect(
          target,
          {
            ...handlers,
            open: () => {
              opened = true;
              this.everOpened = true;
              handlers.open();
            },
            upgradeRejected: (status, body) => {
              if (status !== 401 && status !== 403) flip();
              handlers.upgradeRejected(status, body);
            },
            refused: (verdict) => {
              if (verdict.action === 'retry') flip();
              handlers.refused(verdict);
            },
            close: (code, reason) => {
              flip();
              handlers.close(code, reason);
            },
          },
          connectOptions,
        );
      },
    };
  }

  private ping(link: { send(frame: string | Uint8Array): void }): void {
    // Socket.IO: Engine.IO's own pings keep the link and count as traffic.
    if (this.current === 'websocket') link.send(JSON.stringify({ type: 'ping', requestId: `ping_${this.options.clock.now()}_${++this.requestSeq}` }));
  }

  /**
   * Subscribes the new link to the profile and reports it once the gateway has acknowledged it:
   * until then the gateway may not send this link the profile's events yet.
   */
  private async subscribe(afterOutage: boolean): Promise<void> {
    const profileId = this.options.profileId;
    const transport = this.current;
    const link = ++this.links;
    try {
      if (transport === 'socketio') {
        const ack = await this.socket.emit('join', [{ profileId }], { timeoutMs: SUBSCRIBE_ACK_MS });
        const reply = ack[0];
        if (typeof reply === 'object' && reply !== null && (reply as Record<string, unknown>)['success'] === false) {
          const error = (reply as Record<string, unknown>)['error'];
          throw new VenueError('auth', typeof error === 'string' ? l10n.t('the gateway refused to subscribe to profile {0}: {1}', profileId, error) : l10n.t('the gateway refused to subscribe to profile {0}', profileId));
        }
      } else {
        const requestId = `sub_${++this.requestSeq}`;
        const acked = this.ackOf(requestId);
        if (!this.socket.send(JSON.stringify({ type: 'subscribe', payload: { profileId, events: ['*'] }, requestId }))) {
          this.awaitingAck.get(requestId)?.(false);
          return;
        }
        // The documented API acks every subscribe; a gateway that does not still sends the events.
        if (!(await acked)) this.options.logger.warn(`MultiWA realtime: the gateway did not acknowledge the subscription within ${SUBSCRIBE_ACK_MS / 1000} s; going on without it`);
      }
      if (link !== this.links || this.socket.state.kind !== 'online') return;
      this.subscribedEmitter.fire({ transport, afterOutage });
    } catch (err) {
      this.problems.fire(err instanceof Error ? err.message : String(err));
      // Try again on a fresh link (a refusal by a reachable server is worth a back-off, not a loop).
      if (!(err instanceof VenueError && err.kind === 'auth')) this.socket.reconnectNow();
    }
  }

  /** Resolves true when the plain API acks `requestId`, false after SUBSCRIBE_ACK_MS (or on dispose). */
  private ackOf(requestId: string): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = this.options.clock.setTimeout(() => settle(false), SUBSCRIBE_ACK_MS);
      const settle = (acked: boolean): void => {
        if (this.awaitingAck.get(requestId) !== settle) return;
        this.awaitingAck.delete(requestId);
        timer.dispose();
        resolve(acked);
      };
      this.awaitingAck.set(requestId, settle);
    });
  }

  private onFrame(frame: Frame): void {
    if (frame.kind === 'binary') return this.problems.fire('the realtime channel sent a binary frame');
    let decoded;
    if (frame.kind === 'event') decoded = decodeSocketIoEvent(frame.event, frame.args);
    else {
      let json: unknown;
      try {
        json = JSON.parse(frame.text);
      } catch {
        return this.problems.fire(`a frame that is not JSON: ${frame.text.slice(0, 80)}`);
      }
      decoded = decodePlainFrame(json);
    }
    if (!decoded.ok) return this.problems.fire(decoded.problem);
    const event = decoded.event;
    if (event.kind === 'error') return this.problems.fire(`the gateway said: ${event.message}`);
    if (event.kind === 'ack-frame') {
      if (event.requestId !== undefined) this.awaitingAck.get(event.requestId)?.(true);
      // An ack that does not echo the requestId still says what it acknowledges.
      else if (isSubscribedAck(event.payload)) for (const settle of [...this.awaitingAck.values()]) settle(true);
      return;
    }
    if (event.kind === 'ignored' || event.kind === 'pong') return;
    if (event.kind !== 'chatActivity' && 'profileId' in event && event.profileId && event.profileId !== this.options.profileId) return;
    this.events.fire(event);
  }
}

function isSubscribedAck(payload: unknown): boolean {
  return typeof payload === 'object' && payload !== null && (payload as Record<string, unknown>)['action'] === 'subscribed';
}
