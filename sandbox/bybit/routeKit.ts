// What every signed P2P route handler gets and gives back: the caller's account, its JSON body
// parameters (Bybit sends some numbers as strings and takes either), the back end, and an outcome
// the REST layer wraps in the envelope.
import type { MultipartPart } from '../util/multipart';
import type { Random } from '../util/random';
import { BybitErrors, type BybitError } from './errors';
import type { ObjectStore } from './uploads';
import type { BybitAccount, BybitStore, MessageFields, Order, StoredMessage } from './store';

export type Outcome =
  | { readonly ok: true; readonly result: unknown; readonly retMsg?: string; readonly extra?: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly error: BybitError };

export const success = (result: unknown, retMsg?: string): Outcome => ({ ok: true, result, ...(retMsg !== undefined ? { retMsg } : {}) });
export const failure = (error: BybitError): Outcome => ({ ok: false, error });

/** What the malformed-item fault puts on top of a message list: no usable id, time or body. */
export const MALFORMED_ITEM: Readonly<Record<string, unknown>> = { id: { nested: true }, createDate: 'yesterday', message: 42, contentType: null };

/** A message list with the malformed item on top when the fault says so. */
export function withMalformedItem(ctx: RouteContext, items: readonly unknown[]): unknown[] {
  return ctx.backend.takeMalformedItem() ? [MALFORMED_ITEM, ...items] : [...items];
}

export interface RouteBackend {
  store(): BybitStore;
  objects(): ObjectStore;
  /** Whether the order-scoped chat API is closed for this account. */
  legacyClosed(account: BybitAccount): boolean;
  /** The malformed-item fault: whether this message list carries one garbage item on top. */
  takeMalformedItem(): boolean;
  /** Stores a message from our account (and lets the counterparty react). */
  postOwn(order: Order, fields: MessageFields, msgUuid: string): StoredMessage;
  /** A fresh deterministic stream on every call (names and tokens of stored files). */
  random(label: string): Random;
  readonly maxUploadBytes: number;
  readonly mediaTtlMs: number;
}

export interface RouteContext {
  readonly account: BybitAccount;
  readonly params: Params;
  readonly backend: RouteBackend;
  readonly now: number;
  /** Multipart parts (upload only). */
  readonly parts?: readonly MultipartPart[];
}

export interface Route {
  /** Rate-limit class: Bybit allows 5 sends and 10 list calls a second per user and endpoint. */
  readonly kind: 'list' | 'send';
  /** Whether the lost-reply fault applies (a send). */
  readonly commits?: boolean;
  handle(ctx: RouteContext): Outcome;
}

/** JSON body fields; scalars read as text whether sent as strings or numbers. */
export class Params {
  constructor(private readonly body: Readonly<Record<string, unknown>>) {}

  static parse(raw: string): Params | undefined {
    if (raw.trim() === '') return new Params({});
    try {
      const parsed: unknown = JSON.parse(raw);
      return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? new Params(parsed as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }

  has(name: string): boolean {
    return this.body[name] !== undefined && this.body[name] !== null;
  }

  text(name: string): string | undefined {
    const v = this.body[name];
    if (typeof v === 'string') return v;
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    return undefined;
  }

  raw(name: string): unknown {
    return this.body[name];
  }

  /** An integer parameter (number or digit string) in [min, max]; `fallback` when absent. */
  int(name: string, fallback: number | undefined, min: number, max: number): number | BybitError {
    if (!this.has(name)) return fallback ?? BybitErrors.params(`${name} is required`);
    const t = this.text(name);
    if (t === undefined || !/^-?\d{1,15}$/.test(t)) return BybitErrors.params(`${name} must be an integer`);
    const n = Number(t);
    return n < min || n > max ? BybitErrors.params(`${name} out of range`) : n;
  }
}

export const isError = (v: unknown): v is BybitError => typeof v === 'object' && v !== null && 'code' in v && 'msg' in v;

/** The caller's order named by `orderId`, or the error to answer. */
export function ownOrder(ctx: RouteContext): Order | BybitError {
  const id = ctx.params.text('orderId');
  if (!id) return BybitErrors.params('orderId is required');
  const order = ctx.backend.store().order(id);
  return order && order.account === ctx.account ? order : BybitErrors.orderNotFound;
}
