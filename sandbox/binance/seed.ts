// Deterministic seed data: two merchant accounts, each with orders in progress (TRADING,
// BUYER_PAYED) and closed ones (COMPLETED, CANCELLED, one 40 days old, one older than the 6 months
// the history endpoint reaches), one order between the two accounts, and a chat per order. The
// first account's BUYER_PAYED order has a long chat (LONG_CHAT_MESSAGES) to page back through.
// Everything derives from `seed` and the clock at start/reset, so two runs look the same.
import { seededRandom, type Random } from '../util/random';
import { BinanceStore, type MerchantAccount, type MessageDraft, type MessageFields, type Order, type OrderStatus, type Party } from './store';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export const FIRST_MESSAGE_ID = 3_000_001;
export const LONG_CHAT_MESSAGES = 640;
/** Minutes the buyer has to pay (`notifyPayedExpireMinute`). */
export const PAY_WINDOW_MINUTES = 15;

const ACCOUNT_PROFILES = [
  { label: 'Sandbox Binance merchant', nickName: 'SandboxBinance', fiat: 'EUR', fiatSymbol: '€', price: '0.92' },
  { label: 'Sandbox Binance merchant 2', nickName: 'SandboxBinance2', fiat: 'USD', fiatSymbol: '$', price: '1.001' },
] as const;

const COUNTERPARTY_NICKS: readonly string[] = [
  'CryptoKate', 'FastPayer_88', 'LiWei_OTC', 'Amir.T', 'NomadTrader', 'SofiaR', 'BlueHarbor', 'Marek_P2P',
  'Nadia-Pay', 'OkaforTrades', 'Hiro.K', 'ElenaV',
];

/** Our side of each seeded order, its state and age. */
const SEEDED: readonly { status: OrderStatus; ageMs: number; weBuy: boolean }[] = [
  { status: 'TRADING', ageMs: 6 * MINUTE, weBuy: false },
  { status: 'BUYER_PAYED', ageMs: 3 * 60 * MINUTE, weBuy: false },
  { status: 'COMPLETED', ageMs: 2 * DAY, weBuy: true },
  { status: 'CANCELLED', ageMs: 6 * DAY, weBuy: false },
  { status: 'COMPLETED', ageMs: 40 * DAY, weBuy: false },
  { status: 'COMPLETED', ageMs: 200 * DAY, weBuy: true },
];

export function makeAccount(seed: number | string, index: number): MerchantAccount {
  const r = seededRandom(seed, `binance-account-${index}`);
  const profile = ACCOUNT_PROFILES[index % ACCOUNT_PROFILES.length] ?? ACCOUNT_PROFILES[0];
  return {
    index,
    label: profile.label,
    nickName: profile.nickName,
    // Shaped like Binance keys: 64 alphanumerics each.
    apiKey: r.alnum(64),
    secretKey: r.alnum(64),
    userId: `3${r.digits(8)}`,
    listenKey: `c2c_${r.hex(32)}_v2`,
  };
}

export function makeCounterparty(r: Random, nickName?: string): Party {
  return { userId: `2${r.digits(8)}`, nickName: nickName ?? r.pick(COUNTERPARTY_NICKS) };
}

function profileOf(account: MerchantAccount): (typeof ACCOUNT_PROFILES)[number] {
  return ACCOUNT_PROFILES[account.index % ACCOUNT_PROFILES.length] ?? ACCOUNT_PROFILES[0];
}

export interface OrderSpec {
  readonly account: MerchantAccount;
  readonly other: Party;
  readonly weBuy: boolean;
  readonly status: OrderStatus;
  readonly createTime: number;
  /** Whether our account placed the ad. */
  readonly weAreMaker: boolean;
}

export function makeOrder(r: Random, spec: OrderSpec): Order {
  const profile = profileOf(spec.account);
  const quantity = r.int(50, 800);
  const total = (quantity * Number(profile.price)).toFixed(2);
  const us: Party = { userId: spec.account.userId, nickName: spec.account.nickName };
  const paid = spec.status !== 'TRADING' && spec.status !== 'CANCELLED' && spec.status !== 'CANCELLED_BY_SYSTEM';
  return {
    orderNo: `2${r.digits(19)}`,
    advNo: `1${r.digits(18)}`,
    buyer: spec.weBuy ? us : spec.other,
    seller: spec.weBuy ? spec.other : us,
    makerUserId: spec.weAreMaker ? us.userId : spec.other.userId,
    asset: 'USDT',
    fiat: profile.fiat,
    fiatSymbol: profile.fiatSymbol,
    unitPrice: profile.price,
    amount: quantity.toFixed(2),
    totalPrice: total,
    commission: '0',
    status: spec.status,
    createTime: spec.createTime,
    updateTime: spec.createTime,
    notifyPayEndTime: spec.createTime + PAY_WINDOW_MINUTES * MINUTE,
    paidTime: paid ? spec.createTime + 4 * MINUTE : undefined,
  };
}

/** `content` of a system message about an order's state (the venue puts JSON in it). */
export function systemContent(order: Order, status: OrderStatus): string {
  return JSON.stringify({ type: 'order_status', orderNo: order.orderNo, orderStatus: status, updateTime: order.updateTime });
}

type Line = readonly ['buyer' | 'seller', string] | readonly ['system', OrderStatus];

const LINES: Record<OrderStatus, readonly Line[]> = {
  TRADING: [['buyer', 'Hi, I just placed the order.'], ['seller', 'Hello! Payment details are in the order.']],
  BUYER_PAYED: [['buyer', 'Hello'], ['seller', 'Hi, please pay within 15 minutes.'], ['system', 'BUYER_PAYED'], ['buyer', 'Paid, please check.']],
  IN_APPEAL: [['buyer', 'I paid but you did not release.'], ['system', 'IN_APPEAL']],
  COMPLETED: [['buyer', 'Hi'], ['seller', 'Hi there'], ['system', 'BUYER_PAYED'], ['buyer', 'Sent the money.'], ['seller', 'Received, released. Thanks!'], ['system', 'COMPLETED']],
  CANCELLED: [['buyer', "Sorry, I can't pay today, cancelling."], ['seller', 'No problem.'], ['system', 'CANCELLED']],
  CANCELLED_BY_SYSTEM: [['seller', 'Hello, are you still there?'], ['system', 'CANCELLED_BY_SYSTEM']],
};

const text = (content: string): MessageFields => ({ type: 'text', content });

function draftOf(order: Order, who: 'buyer' | 'seller' | 'system', fields: MessageFields, time: number, r: Random): MessageDraft {
  const from = who === 'system' ? { userId: '', nickName: 'System' } : order[who];
  return { ...fields, orderNo: order.orderNo, uuid: r.hex(32), fromUserId: from.userId, fromNickName: from.nickName, createTime: time };
}

function shortHistory(order: Order, r: Random): MessageDraft[] {
  return LINES[order.status].map((line, i) => {
    const time = order.createTime + (i + 1) * 40_000;
    return line[0] === 'system'
      ? draftOf(order, 'system', { type: 'system', content: systemContent(order, line[1]) }, time, r)
      : draftOf(order, line[0], text(line[1]), time, r);
  });
}

/** A long chat for paging: alternating sides, an image every 50th message, 15 s apart. */
function longHistory(order: Order, r: Random, receiptUrl: string): MessageDraft[] {
  const drafts: MessageDraft[] = [];
  for (let n = 1; n <= LONG_CHAT_MESSAGES; n++) {
    // Ends with the buyer, so the chat has an unread message.
    const who = n % 2 === 0 ? 'buyer' : 'seller';
    const fields: MessageFields =
      n % 50 === 0
        ? { type: 'image', content: '', imageUrl: receiptUrl, thumbnailUrl: receiptUrl, imageType: 'png', width: 240, height: 360 }
        : text(`Message ${n} of a long conversation`);
    drafts.push(draftOf(order, who, fields, order.createTime + n * 15_000, r));
  }
  return drafts;
}

export interface SeedOptions {
  readonly seed: number | string;
  readonly now: number;
  readonly activeOrders: number;
  /** Absolute URL of the receipt image the long chat shows. */
  readonly receiptUrl: string;
}

export function buildSeededStore(options: SeedOptions): BinanceStore {
  const { seed, now } = options;
  const store = new BinanceStore(FIRST_MESSAGE_ID);
  const accounts = ACCOUNT_PROFILES.map((_, i) => makeAccount(seed, i));
  for (const account of accounts) store.addAccount(account);
  const history: MessageDraft[] = [];
  let nick = 0;
  const add = (order: Order, drafts: MessageDraft[]): void => {
    store.addOrder(order);
    history.push(...drafts);
  };

  accounts.forEach((account, a) => {
    SEEDED.forEach(({ status, ageMs, weBuy }, o) => {
      const r = seededRandom(seed, `binance-order-${a}-${o}`);
      const other = makeCounterparty(r, COUNTERPARTY_NICKS[nick++ % COUNTERPARTY_NICKS.length]);
      // The second account's times are offset so createTimes never tie across accounts.
      const order = makeOrder(r, { account, other, weBuy, status, createTime: now - ageMs - a * 37_000, weAreMaker: o % 2 === 0 });
      const long = a === 0 && status === 'BUYER_PAYED';
      add(order, long ? longHistory(order, r, options.receiptUrl) : shortHistory(order, r));
    });
  });

  // An order between our two accounts: the first sells to the second, so both see one chat.
  const [first, second] = accounts;
  if (first && second) {
    const r = seededRandom(seed, 'binance-order-shared');
    const order = makeOrder(r, {
      account: first, other: { userId: second.userId, nickName: second.nickName }, weBuy: false, status: 'TRADING', createTime: now - 12 * MINUTE, weAreMaker: true,
    });
    add(order, shortHistory(order, r));
  }

  // More orders in progress until each account has `activeOrders` (a merchant desk).
  accounts.forEach((account, a) => {
    const active = store.ordersOf(account.userId).filter((o) => o.status === 'TRADING' || o.status === 'BUYER_PAYED').length;
    for (let extra = 0; extra < options.activeOrders - active; extra++) {
      const r = seededRandom(seed, `binance-desk-order-${a}-${extra}`);
      const order = makeOrder(r, {
        account, other: makeCounterparty(r), weBuy: extra % 3 === 2, status: extra % 2 === 0 ? 'TRADING' : 'BUYER_PAYED',
        createTime: now - (2 + extra * 2) * MINUTE - a * 37_000 - 1000, weAreMaker: true,
      });
      add(order, shortHistory(order, r));
    }
  });

  // Ids grow with time across chats. Everything is read except, in orders still in progress,
  // the messages after our last one (what the other side said since we last wrote).
  history.sort((x, y) => x.createTime - y.createTime);
  for (const draft of history) store.addMessage({ ...draft, status: 'read' });
  for (const order of store.allOrders()) {
    if (order.status !== 'TRADING' && order.status !== 'BUYER_PAYED') continue;
    const messages = store.messagesOf(order.orderNo);
    for (let i = messages.length - 1; i >= 0; i--) {
      const m = messages[i]!;
      if (store.accountByUserId(m.fromUserId)) break;
      m.status = 'unread';
    }
  }
  return store;
}
