// Deterministic seed data: two accounts (one HMAC key, one RSA key), each with orders in progress
// (10 waiting for payment, 20 paid) and closed ones (50 completed, 40 cancelled, one 120 days old:
// beyond the session history's three months), two orders with the same counterparty (one session,
// two orders) and a chat per order with the SYSTEM lines of its state changes. The first account's
// paid order has a long chat (LONG_CHAT_MESSAGES) to page back through. Everything derives from
// `seed` and the clock at start/reset, so two runs look the same.
import { createHash } from 'node:crypto';
import { seededRandom, type Random } from '../util/random';
import { deterministicRsaKeyPair } from '../util/rsaKeyPair';
import { BybitStore, type BybitAccount, type ContentType, type MessageDraft, type Order, type OrderStatus, type Party } from './store';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export const FIRST_MESSAGE_ID = 3_000_835_001;
export const LONG_CHAT_MESSAGES = 240;
export const PAY_WINDOW_MINUTES = 15;

const PROFILES = [
  { label: 'Sandbox Bybit merchant (HMAC key)', nickName: 'SandboxBybit', keyType: 'hmac', currencyId: 'EUR', price: '0.93' },
  { label: 'Sandbox Bybit merchant 2 (RSA key)', nickName: 'SandboxBybit2', keyType: 'rsa', currencyId: 'USD', price: '1.002' },
] as const;

const NICKS: readonly string[] = ['TraderMila', 'QuickPay_77', 'ZhangOTC', 'Rafael.S', 'DesertFox', 'AnnaK', 'NorthWind', 'Piotr_P2P', 'Yusuf-Pay', 'KimTrades'];

/** The seeded orders of each account; `same` marks the two that share a counterparty. */
const SEEDED: readonly { status: OrderStatus; ageMs: number; side: 0 | 1; same?: true }[] = [
  { status: 10, ageMs: 4 * MINUTE, side: 1, same: true },
  { status: 20, ageMs: 40 * MINUTE, side: 1 },
  { status: 50, ageMs: 2 * DAY, side: 0, same: true },
  { status: 40, ageMs: 5 * DAY, side: 1 },
  { status: 50, ageMs: 120 * DAY, side: 1 },
];

export function makeAccount(seed: number | string, index: number): BybitAccount {
  const r = seededRandom(seed, `bybit-account-${index}`);
  const profile = PROFILES[index % PROFILES.length] ?? PROFILES[0];
  // Bybit keys: 18 alphanumerics; HMAC secrets 36.
  const apiKey = r.alnum(18);
  const key =
    profile.keyType === 'hmac'
      ? { keyType: 'hmac' as const, apiKey, secret: r.alnum(36) }
      : { keyType: 'rsa' as const, apiKey, ...deterministicRsaKeyPair(`bybit-${String(seed)}-${index}`) };
  return { index, label: profile.label, nickName: profile.nickName, key, ...identity(r) };
}

function identity(r: Random): Pick<Party, 'userId' | 'maskId' | 'accountId'> {
  const userId = `${r.int(1, 9)}${r.digits(7)}`;
  return { userId, maskId: `s${r.hex(32)}`, accountId: String(Number(userId) + 2) };
}

export function makeCounterparty(r: Random, nickName?: string): Party {
  return { nickName: nickName ?? r.pick(NICKS), ...identity(r) };
}

/** Opaque, stable per (account, counterparty), base64 with `+`, `/` and `=` like the venue's AES ids. */
export function sessionIdFor(seed: number | string, account: BybitAccount, other: Party): string {
  const digest = createHash('sha256').update(`bybit-session\u0000${String(seed)}\u0000${account.userId}\u0000${other.userId}`).digest();
  return Buffer.concat([Buffer.from([0xfb, 0xff, 0xbf]), digest, digest.subarray(0, 23)]).toString('base64');
}

export interface OrderSpec {
  readonly account: BybitAccount;
  readonly other: Party;
  readonly side: 0 | 1;
  readonly status: OrderStatus;
  readonly createDate: number;
}

export function makeOrder(r: Random, spec: OrderSpec): Order {
  const profile = PROFILES[spec.account.index % PROFILES.length] ?? PROFILES[0];
  const quantity = r.int(40, 900);
  return {
    id: `19${r.digits(17)}`,
    account: spec.account,
    other: spec.other,
    side: spec.side,
    tokenId: 'USDT',
    currencyId: profile.currencyId,
    price: profile.price,
    quantity: quantity.toFixed(4),
    amount: (quantity * Number(profile.price)).toFixed(2),
    status: spec.status,
    createDate: spec.createDate,
    payDeadline: spec.createDate + PAY_WINDOW_MINUTES * MINUTE,
    updateDate: spec.createDate,
  };
}

/** SYSTEM lines of state changes (text, msgCode). */
export function systemLine(status: OrderStatus): { content: string; msgCode: number } {
  switch (status) {
    case 10:
      return { content: `Order created. The buyer should pay within ${PAY_WINDOW_MINUTES} minutes.`, msgCode: 10 };
    case 20:
      return { content: 'The buyer has marked the order as paid. Seller, please confirm the payment and release the coins.', msgCode: 20 };
    case 30:
      return { content: 'An appeal has been opened. Customer support will join the chat.', msgCode: 30 };
    case 40:
      return { content: 'The order has been cancelled.', msgCode: 40 };
    case 50:
      return { content: 'The seller has released the coins. The order is completed.', msgCode: 50 };
    case 80:
      return { content: 'The order was cancelled by the system.', msgCode: 80 };
  }
}

/** Publishes a sandbox media file on the object store; the URL is relative, the name is what users see. */
export type Publish = (kind: Exclude<ContentType, 'str'>, at: number, r: Random) => { content: string; fileName: string };

type Line = readonly ['buyer' | 'seller', string] | readonly ['system', OrderStatus] | readonly ['buyer' | 'seller', 'pic' | 'pdf'];

const LINES: Record<OrderStatus, readonly Line[]> = {
  10: [['system', 10], ['buyer', 'Hi, I just placed the order.'], ['seller', 'Hello! The bank details are in the order.']],
  20: [['system', 10], ['buyer', 'Hello'], ['seller', 'Hi, please pay within 15 minutes.'], ['system', 20], ['buyer', 'pdf'], ['buyer', 'Paid, please check.']],
  30: [['system', 10], ['buyer', 'I paid but you did not release.'], ['system', 30]],
  40: [['system', 10], ['buyer', "Sorry, I can't pay today."], ['seller', 'No problem.'], ['system', 40]],
  50: [['system', 10], ['buyer', 'Hi'], ['seller', 'Hi there'], ['system', 20], ['buyer', 'pic'], ['seller', 'Received, releasing. Thanks!'], ['system', 50]],
  80: [['system', 10], ['seller', 'Hello, are you still there?'], ['system', 80]],
};

function sideParty(order: Order, who: 'buyer' | 'seller'): Party {
  const weBuy = order.side === 0;
  return (who === 'buyer') === weBuy ? order.account : order.other;
}

function draft(order: Order, from: Party | undefined, fields: Pick<MessageDraft, 'contentType' | 'content' | 'fileName'>, at: number, msgCode = 0, r?: Random): MessageDraft {
  return {
    ...fields, orderId: order.id, fromUserId: from?.userId ?? '', fromNickName: from?.nickName ?? 'SYSTEM', msgCode,
    // Sends of our own account through the order-scoped API carry a client id.
    msgUuid: from && r && from.userId === order.account.userId ? r.hex(32) : '', createDate: at,
  };
}

function shortHistory(order: Order, r: Random, publish: Publish): MessageDraft[] {
  return LINES[order.status].map((line, i) => {
    const at = order.createDate + i * 40_000 + 1000;
    if (line[0] === 'system') {
      const sys = systemLine(line[1]);
      return draft(order, undefined, { contentType: 'str', content: sys.content, fileName: '' }, at, sys.msgCode);
    }
    const from = sideParty(order, line[0]);
    if (line[1] === 'pic' || line[1] === 'pdf') return draft(order, from, { contentType: line[1], ...publish(line[1], at, r) }, at, 0, r);
    return draft(order, from, { contentType: 'str', content: line[1], fileName: '' }, at, 0, r);
  });
}

/** A long chat for paging: alternating sides 15 s apart, an image every 40th, a PDF every 100th. */
function longHistory(order: Order, r: Random, publish: Publish): MessageDraft[] {
  const out: MessageDraft[] = [];
  for (let n = 1; n <= LONG_CHAT_MESSAGES; n++) {
    // Ends with the counterparty, so the chat has unread lines.
    const from = n % 2 === 0 ? order.other : order.account;
    const at = order.createDate + n * 15_000;
    if (n % 100 === 0) out.push(draft(order, from, { contentType: 'pdf', ...publish('pdf', at, r) }, at, 0, r));
    else if (n % 40 === 0) out.push(draft(order, from, { contentType: 'pic', ...publish('pic', at, r) }, at, 0, r));
    else out.push(draft(order, from, { contentType: 'str', content: `Message ${n} of a long conversation`, fileName: '' }, at, 0, r));
  }
  return out;
}

export interface SeedOptions {
  readonly seed: number | string;
  readonly now: number;
  readonly activeOrders: number;
  readonly publish: Publish;
}

export function buildSeededStore(options: SeedOptions): BybitStore {
  const { seed, now, publish } = options;
  const store = new BybitStore(FIRST_MESSAGE_ID, (account, other) => sessionIdFor(seed, account, other));
  const accounts = PROFILES.map((_, i) => makeAccount(seed, i));
  for (const account of accounts) store.addAccount(account);
  const history: MessageDraft[] = [];
  const add = (order: Order, drafts: MessageDraft[]): void => {
    store.addOrder(order);
    history.push(...drafts);
  };
  let nick = 0;
  accounts.forEach((account, a) => {
    const regular = seededRandom(seed, `bybit-regular-${a}`);
    const shared = makeCounterparty(regular, NICKS[nick++ % NICKS.length]);
    SEEDED.forEach(({ status, ageMs, side, same }, o) => {
      const r = seededRandom(seed, `bybit-order-${a}-${o}`);
      const other = same ? shared : makeCounterparty(r, NICKS[nick++ % NICKS.length]);
      // The second account's times are offset so createDates never tie across accounts.
      const order = makeOrder(r, { account, other, side, status, createDate: now - ageMs - a * 37_000 });
      add(order, a === 0 && status === 20 ? longHistory(order, r, publish) : shortHistory(order, r, publish));
    });
  });
  // More orders in progress until each account has `activeOrders` (a desk runs many at once).
  accounts.forEach((account, a) => {
    const running = store.ordersOf(account).filter((o) => o.status === 10 || o.status === 20).length;
    for (let extra = 0; extra < options.activeOrders - running; extra++) {
      const r = seededRandom(seed, `bybit-desk-order-${a}-${extra}`);
      const order = makeOrder(r, {
        account, other: makeCounterparty(r), side: extra % 3 === 2 ? 0 : 1, status: extra % 2 === 0 ? 10 : 20,
        createDate: now - (2 + extra * 2) * MINUTE - a * 37_000 - 1000,
      });
      add(order, shortHistory(order, r, publish));
    }
  });
  // Ids grow with time across chats. Everything is read except, in orders still running, what the
  // other side said after our last message.
  history.sort((x, y) => x.createDate - y.createDate);
  for (const d of history) store.addMessage({ ...d, read: true });
  for (const order of store.allOrders()) {
    if (order.status !== 10 && order.status !== 20) continue;
    const messages = store.messagesOf(order.id);
    for (let i = messages.length - 1; i >= 0; i--) {
      const m = messages[i]!;
      if (m.fromUserId === order.account.userId) break;
      m.read = false;
    }
  }
  return store;
}
