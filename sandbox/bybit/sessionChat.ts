// The session chat API (a session per counterparty, not per order): getSessionId, the session lists
// (`/list_v1` with unread counts, `/list`), the message list (`/listpage` and `/listpage_v1`: limit ≤
// 30, exclusive `lastId` cursor, newest first, three months back) and send (`/send`, and `/send_v1`
// which also wants `orderId`). Reading a session's messages marks them read.
import { BybitErrors } from './errors';
import { sessionItem } from './chatViews';
import { sendFields } from './chatSend';
import { failure, isError, success, withMalformedItem, type Outcome, type Route, type RouteContext } from './routeKit';
import type { Session } from './store';

const MAX_SESSION_PAGE = 20;
const MAX_MESSAGE_PAGE = 30;
const HISTORY_REACH_MS = 90 * 24 * 60 * 60 * 1000;

function sessionOf(ctx: RouteContext): Session | Outcome {
  const sessionId = ctx.params.text('sessionId');
  if (!sessionId) return failure(BybitErrors.params('sessionId is required'));
  return ctx.backend.store().sessionById(ctx.account, sessionId) ?? failure(BybitErrors.sessionNotFound);
}

const isSession = (v: Session | Outcome): v is Session => 'sessionId' in v;

function sessionPage(ctx: RouteContext, filter: (s: Session) => boolean, withUnread: boolean): Outcome {
  const size = ctx.params.int('size', undefined, -1e9, 1e9);
  if (isError(size)) return failure(size);
  if (size < 1 || size > MAX_SESSION_PAGE) return failure(BybitErrors.pageSize);
  const lastId = ctx.params.int('lastId', 0, 0, 1e15);
  if (isError(lastId)) return failure(lastId);
  const store = ctx.backend.store();
  const page = store
    .sessionsOf(ctx.account)
    .filter((s) => (lastId === 0 || s.id < lastId) && filter(s))
    .sort((a, b) => b.id - a.id)
    .slice(0, size);
  const chatSession = page.map((s) => ({
    sessionName: s.other.nickName, sessionId: s.sessionId, type: 'SINGLE',
    // list_v1's example sends the cursor and count as strings; /list documents the id as an integer.
    ...(withUnread ? { id: String(s.id), unreadCount: String(store.unreadCount(s)) } : { id: s.id }),
  }));
  return success({ chatSession });
}

function messagePage(ctx: RouteContext, v1: boolean): Outcome {
  const session = sessionOf(ctx);
  if (!isSession(session)) return session;
  // Reportedly, listpage_v1 without `limit` answers an empty list rather than an error.
  if (v1 && !ctx.params.has('limit')) return success({ messages: [] });
  const limit = ctx.params.int('limit', undefined, 1, MAX_MESSAGE_PAGE);
  if (isError(limit)) return failure(limit);
  const lastId = ctx.params.int('lastId', 0, 0, 1e15);
  if (isError(lastId)) return failure(lastId);
  const store = ctx.backend.store();
  const all = store.messagesOfSession(session);
  for (const m of all) if (m.fromUserId !== ctx.account.userId) m.read = true;
  const messages = all
    .filter((m) => m.createDate >= ctx.now - HISTORY_REACH_MS && (lastId === 0 || m.id < lastId))
    .sort((a, b) => b.id - a.id)
    .slice(0, limit)
    .map(sessionItem);
  return success({ messages: withMalformedItem(ctx, messages) });
}

function send(ctx: RouteContext, v1: boolean): Outcome {
  const session = sessionOf(ctx);
  if (!isSession(session)) return session;
  const orders = ctx.backend.store().ordersOfSession(session);
  const orderId = ctx.params.text('orderId');
  if (v1 && !orderId) return failure(BybitErrors.params('orderId is required'));
  // Without an order id the message goes to the session's newest order (sandbox choice).
  const order = orderId ? orders.find((o) => o.id === orderId) : orders[0];
  if (!order) return failure(BybitErrors.orderNotFound);
  const fields = sendFields(ctx.params, ctx.backend);
  if (isError(fields)) return failure(fields);
  ctx.backend.postOwn(order, fields, '');
  return success(v1 ? {} : null);
}

export const SESSION_CHAT_ROUTES: Readonly<Record<string, Route>> = {
  '/v5/p2p/chat/session/getSessionId': {
    kind: 'list',
    handle: (ctx) => {
      const maskId = ctx.params.text('userMaskId');
      if (!maskId) return failure(BybitErrors.params('userMaskId is required'));
      const other = ctx.backend.store().counterpartyByMaskId(maskId);
      const session = other ? ctx.backend.store().session(ctx.account, other.userId) : undefined;
      return session ? success({ sessionId: session.sessionId }) : failure(BybitErrors.sessionNotFound);
    },
  },
  '/v5/p2p/chat/session/list_v1': {
    kind: 'list',
    handle: (ctx) => {
      for (const name of ['lastId', 'readStatus']) if (!ctx.params.has(name)) return failure(BybitErrors.params(`${name} is required`));
      const readStatus = ctx.params.int('readStatus', undefined, 0, 2);
      if (isError(readStatus)) return failure(readStatus);
      const type = ctx.params.text('type');
      if (type !== undefined && type !== 'SINGLE' && type !== 'GROUP') return failure(BybitErrors.params('type must be SINGLE or GROUP'));
      const store = ctx.backend.store();
      return sessionPage(ctx, (s) => type !== 'GROUP' && (readStatus === 2 || (store.unreadCount(s) > 0) === (readStatus === 0)), true);
    },
  },
  '/v5/p2p/chat/session/list': {
    kind: 'list',
    handle: (ctx) => {
      const sessionId = ctx.params.text('sessionId');
      const maskId = ctx.params.text('userMaskId');
      return sessionPage(ctx, (s) => (sessionId === undefined || s.sessionId === sessionId) && (maskId === undefined || s.other.maskId === maskId), false);
    },
  },
  '/v5/p2p/chat/message/listpage': { kind: 'list', handle: (ctx) => messagePage(ctx, false) },
  '/v5/p2p/chat/message/listpage_v1': { kind: 'list', handle: (ctx) => messagePage(ctx, true) },
  '/v5/p2p/chat/message/send': { kind: 'send', commits: true, handle: (ctx) => send(ctx, false) },
  '/v5/p2p/chat/message/send_v1': { kind: 'send', commits: true, handle: (ctx) => send(ctx, true) },
};
