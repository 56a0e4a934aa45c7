// Identity and orders: `/v5/p2p/user/personal/info`, `/v5/p2p/order/simplifyList`,
// `/pending/simplifyList` and `/v5/p2p/order/info`; plus the signed GET `/v5/user/query-api` (the
// key's own details, retCode envelope spelling), which is how a query string gets signed.
import { BybitErrors } from './errors';
import { failure, isError, ownOrder, success, type Outcome, type Route, type RouteContext } from './routeKit';
import { ORDER_STATUSES, PENDING_STATUSES, type Order } from './store';

const DAY = 24 * 60 * 60 * 1000;
const MAX_PAGE_SIZE = 30;

function transferLastSeconds(order: Order, now: number): string {
  return order.status === 10 ? String(Math.max(0, Math.floor((order.payDeadline - now) / 1000))) : '0';
}

/** simplifyList rows: `side` is the account's own, `amount` fiat, `notifyTokenQuantity` the token. */
export function orderRow(order: Order, now: number): Record<string, unknown> {
  const weBuy = order.side === 0;
  return {
    id: order.id,
    side: order.side,
    tokenId: order.tokenId,
    orderType: 'ORIGIN',
    amount: order.amount,
    currencyId: order.currencyId,
    price: order.price,
    notifyTokenQuantity: order.quantity,
    notifyTokenId: order.tokenId,
    fee: '0',
    targetNickName: order.other.nickName,
    targetUserId: order.other.userId,
    status: order.status,
    selfUnreadMsgCount: '0',
    createDate: String(order.createDate),
    transferLastSeconds: transferLastSeconds(order, now),
    userId: order.account.userId,
    sellerRealName: weBuy ? `${order.other.nickName} (real name)` : 'Sandbox Merchant',
    buyerRealName: weBuy ? 'Sandbox Merchant' : `${order.other.nickName} (real name)`,
  };
}

function orderDetail(order: Order, now: number): Record<string, unknown> {
  return {
    ...orderRow(order, now),
    itemId: `18${order.id.slice(2, 19)}`,
    nickName: order.account.nickName,
    makerUserId: order.account.userId,
    targetUserId: order.other.userId,
    targetNickName: order.other.nickName,
    targetUserMaskId: order.other.maskId,
    targetConnectInformation: '',
    quantity: order.quantity,
    updateDate: String(order.updateDate),
    paymentTermList: [{ id: '1', paymentType: '14', realName: 'Sandbox Merchant', accountNo: 'NL00SAND0000000000', bankName: 'Sandbox Bank' }],
  };
}

function orderList(ctx: RouteContext, pendingOnly: boolean): Outcome {
  const page = ctx.params.int('page', undefined, 1, 1_000_000);
  if (isError(page)) return failure(page);
  const size = ctx.params.int('size', undefined, 1, MAX_PAGE_SIZE);
  if (isError(size)) return failure(size);
  const status = ctx.params.int('status', 0, 0, 1000);
  if (isError(status)) return failure(status);
  if (status !== 0 && !(ORDER_STATUSES as readonly number[]).includes(status)) return failure(BybitErrors.params('unknown status'));
  const begin = ctx.params.int('beginTime', 0, 0, 1e15);
  if (isError(begin)) return failure(begin);
  const end = ctx.params.int('endTime', ctx.now, 0, 1e15);
  if (isError(end)) return failure(end);
  const side = ctx.params.raw('side');
  if (side !== undefined && side !== null && !(Array.isArray(side) && side.every((s) => s === 0 || s === 1 || s === '0' || s === '1'))) {
    return failure(BybitErrors.params('side must be a list of 0 and 1'));
  }
  const sides = Array.isArray(side) ? new Set(side.map(Number)) : undefined;
  const tokenId = ctx.params.text('tokenId');
  // Pending orders reach 90 days back by default; the full list too (Bybit documents 180 at most).
  const from = Math.max(begin, ctx.now - (pendingOnly ? 90 : 180) * DAY);
  const matching = ctx.backend
    .store()
    .ordersOf(ctx.account)
    .filter((o) => (!pendingOnly || PENDING_STATUSES.has(o.status)) && (status === 0 || o.status === status))
    .filter((o) => o.createDate >= from && o.createDate <= end)
    .filter((o) => (sides === undefined || sides.has(o.side)) && (tokenId === undefined || o.tokenId === tokenId));
  return success({ count: matching.length, items: matching.slice((page - 1) * size, page * size).map((o) => orderRow(o, ctx.now)) });
}

export const ORDER_ROUTES: Readonly<Record<string, Route>> = {
  '/v5/p2p/user/personal/info': {
    kind: 'list',
    handle: ({ account }) =>
      success({
        userId: account.userId, nickName: account.nickName, defaultNickName: false, isOnline: true, kycLevel: 2, email: 'sa***@sandbox.test', mobile: '',
        lastLogoutTime: '0', recentRate: 100, totalFinishCount: 42, totalFinishSellCount: 30, totalFinishBuyCount: 12, recentFinishCount: 12,
        averageReleaseTime: '2.5', averageTransferTime: '4.1', accountCreateDays: 400, firstTradeDays: 380, realName: 'Sandbox Merchant', vipLevel: 'VA',
      }),
  },
  '/v5/p2p/order/simplifyList': { kind: 'list', handle: (ctx) => orderList(ctx, false) },
  '/v5/p2p/order/pending/simplifyList': { kind: 'list', handle: (ctx) => orderList(ctx, true) },
  '/v5/p2p/order/info': {
    kind: 'list',
    handle: (ctx) => {
      const order = ownOrder(ctx);
      return isError(order) ? failure(order) : success(orderDetail(order, ctx.now));
    },
  },
};

/** Signed GET routes (query-string signing), answered in the `retCode` spelling of V5. */
export const GET_ROUTES: Readonly<Record<string, Route>> = {
  '/v5/user/query-api': {
    kind: 'list',
    handle: ({ account }) =>
      success({
        id: String(1000 + account.index), note: account.label, apiKey: account.key.apiKey, readOnly: 0, secret: '', type: 1,
        permissions: { FiatP2P: ['FiatP2POrder', 'Advertising'] }, ips: ['*'], userID: Number(account.userId), isMaster: true,
      }, 'OK'),
  },
};
