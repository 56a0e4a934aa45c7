// Typed request/response client over postMessage (docs/architecture.md, Host ⇄ webview protocol).
// Requests carry increasing ids and resolve on the host's `{id, ok, result|error}`; anything
// unanswered fails after a timeout so a lost reply can never leave the UI waiting forever. Host
// notifications are dispatched by method.
import * as l10n from '@vscode/l10n';
import type {
  NotificationMethod,
  NotificationParams,
  ProtocolError,
  RequestEnvelope,
  RequestMethod,
  RequestParams,
  RequestResults,
} from '../shared/protocol';
import { type Disposable, timeout } from './lifecycle';

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Error code of a request the host never answered (distinct from any code the host sends). */
export const NO_ANSWER = 'webview/no-answer';

export class RpcError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

export type NotificationHandlers = {
  readonly [M in NotificationMethod]: (params: NotificationParams[M]) => void;
};

// Checked against the protocol's notification map, so a new host notification fails typechecking here.
const NOTIFICATION_METHODS = {
  'conversation/snapshot': true,
  'conversation/update': true,
  'message/upsert': true,
  'connection/state': true,
  'upload/progress': true,
  'download/progress': true,
  'notice/show': true,
  'composer/send': true,
  'composer/focus': true,
} as const satisfies Record<NotificationMethod, true>;

function isNotificationMethod(method: string): method is NotificationMethod {
  return Object.prototype.hasOwnProperty.call(NOTIFICATION_METHODS, method);
}

interface PendingRequest {
  readonly method: RequestMethod;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: RpcError) => void;
  readonly timer: Disposable;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toProtocolError(raw: unknown): ProtocolError {
  if (isRecord(raw) && typeof raw.code === 'string' && typeof raw.message === 'string') return { code: raw.code, message: raw.message };
  return { code: 'internal', message: l10n.t('The extension reported an error without details.') };
}

export class RpcClient implements Disposable {
  private nextId = 1;
  private readonly pending = new Map<number, PendingRequest>();
  private disposed = false;

  constructor(
    private readonly post: (envelope: RequestEnvelope) => void,
    private readonly handlers: NotificationHandlers,
    private readonly timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
  ) {}

  /** `options.timeoutMs`: a longer wait for requests that include the user's own time (a save dialog). */
  request<M extends RequestMethod>(method: M, params: RequestParams<M>, options: { readonly timeoutMs?: number } = {}): Promise<RequestResults[M]> {
    if (this.disposed) return Promise.reject(new RpcError('disposed', l10n.t('The chat pane is closing.')));
    const id = this.nextId++;
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    return new Promise<RequestResults[M]>((resolve, reject) => {
      const timer = timeout(() => {
        this.pending.delete(id);
        reject(new RpcError(NO_ANSWER, l10n.t({ message: 'The extension did not answer {0} within {1} s.', args: [method, Math.round(timeoutMs / 1000)], comment: ['{0} is the name of a request (a protocol method such as message/send), {1} a number of seconds'] })));
      }, timeoutMs);
      this.pending.set(id, { method, resolve: resolve as (result: unknown) => void, reject, timer });
      const envelope: RequestEnvelope<M> = { id, method, params };
      try {
        this.post(envelope);
      } catch (error) {
        timer.dispose();
        this.pending.delete(id);
        reject(new RpcError('post-failed', error instanceof Error ? error.message : String(error)));
      }
    });
  }

  /** Feeds one `message` event payload from the host. Returns false for payloads that are neither. */
  handleMessage(data: unknown): boolean {
    if (!isRecord(data)) return false;
    if (typeof data.id === 'number' && typeof data.ok === 'boolean') {
      const entry = this.pending.get(data.id);
      // A reply to a request that already timed out or was never made: nothing waits for it.
      if (!entry) return true;
      this.pending.delete(data.id);
      entry.timer.dispose();
      if (data.ok) entry.resolve(data.result);
      else {
        const error = toProtocolError(data.error);
        entry.reject(new RpcError(error.code, error.message));
      }
      return true;
    }
    if (typeof data.method === 'string' && isNotificationMethod(data.method) && isRecord(data.params)) {
      this.dispatch(data.method, data.params);
      return true;
    }
    return false;
  }

  private dispatch(method: NotificationMethod, params: Record<string, unknown>): void {
    // Params are checked field by field by each consumer (the host is trusted, its payload shapes less so).
    const handler = this.handlers[method] as (params: unknown) => void;
    handler(params);
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const entry of this.pending.values()) {
      entry.timer.dispose();
      entry.reject(new RpcError('disposed', `${entry.method} was abandoned: the chat pane is closing.`));
    }
    this.pending.clear();
  }
}
