// Deterministic seed data: two merchant accounts, each with four orders (NOT_PAID, PAID, DONE,
// CANCEL) against different counterparties, one conversation per order and a few past messages.
// Everything derives from `seed` and the clock at start/reset, so two runs look the same.
import { seededRandom, type Random } from '../util/random';
import { MexcStore, type Counterparty, type MerchantAccount, type MessageDraft, type Order, type OrderState } from './store';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export const FIRST_MESSAGE_ID = 1001;
export const FIRST_CONVERSATION_ID = 50001;

const ACCOUNT_PROFILES = [
  { label: 'Sandbox MEXC merchant', nickName: 'SandboxMerchant', fiatUnit: 'EUR', price: 0.93, realName: 'Alex Sandbox' },
  { label: 'Sandbox MEXC merchant 2', nickName: 'SandboxMerchant2', fiatUnit: 'USD', price: 1.001, realName: 'Sam Sandbox' },
] as const;

const COUNTERPARTY_NAMES: readonly (readonly [string, string, string])[] = [
  ['CryptoKate', 'Kate Miller', 'GB'],
  ['FastPayer_88', 'Jonas Berg', 'SE'],
  ['LiWei_OTC', 'Li Wei', 'SG'],
  ['Amir.T', 'Amir Tahan', 'AE'],
  ['NomadTrader', 'Paula Costa', 'PT'],
  ['SofiaR', 'Sofia Rossi', 'IT'],
  ['BlueHarbor', 'Tom Harper', 'IE'],
  ['Marek_P2P', 'Marek Novak', 'CZ'],
];

const SEEDED_STATES: readonly { state: OrderState; ageMs: number }[] = [
  { state: 'NOT_PAID', ageMs: 4 * MINUTE },
  { state: 'PAID', ageMs: 18 * MINUTE },
  { state: 'DONE', ageMs: 2 * DAY },
  { state: 'CANCEL', ageMs: 6 * DAY },
];

export function makeAccount(seed: number | string, index: number): MerchantAccount {
  const r = seededRandom(seed, `account-${index}`);
  const profile = ACCOUNT_PROFILES[index % ACCOUNT_PROFILES.length] ?? ACCOUNT_PROFILES[0];
  const apiKey = `mx0vgl${r.alnum(26)}`; // shaped like MEXC keys: `mx0vgl` + 26 alphanumerics
  const secretKey = r.hex(32);
  const memberId = r.hex(32);
  const imId = r.digits(10);
  // The chat speaks in IM identities, so `fromUserId` is the imId [INF: MEXC does not say].
  return { label: profile.label, apiKey, secretKey, userId: imId, memberId, imId, nickName: profile.nickName };
}

export function makeCounterparty(r: Random, nickName?: string): Counterparty {
  const [defaultNick, realName, countryCode] = r.pick(COUNTERPARTY_NAMES);
  const memberId = r.hex(32);
  const imId = r.digits(10);
  return { userId: imId, memberId, imId, nickName: nickName ?? defaultNick, realName, countryCode };
}

function accountProfile(account: MerchantAccount): (typeof ACCOUNT_PROFILES)[number] {
  return ACCOUNT_PROFILES.find((p) => p.nickName === account.nickName) ?? ACCOUNT_PROFILES[0];
}

export interface OrderSpec {
  readonly account: MerchantAccount;
  readonly counterparty: Counterparty;
  readonly state: OrderState;
  readonly createTime: number;
  readonly conversationId: number;
}

export function makeOrder(r: Random, spec: OrderSpec): Order {
  const profile = accountProfile(spec.account);
  const quantity = r.int(50, 800);
  const amount = Math.round(quantity * profile.price * 100) / 100;
  return {
    advOrderNo: `1${r.digits(18)}`,
    advNo: `1${r.digits(17)}`,
    accountUserId: spec.account.userId,
    counterparty: spec.counterparty,
    side: r.next() < 0.5 ? 'SELL' : 'BUY',
    coinName: 'USDT',
    fiatUnit: profile.fiatUnit,
    price: profile.price,
    tradableQuantity: quantity,
    amount,
    state: spec.state,
    createTime: spec.createTime,
    updateTime: spec.createTime,
    payTimeLimit: spec.createTime + 15 * MINUTE,
    paymentInfo: [
      {
        id: r.int(10000, 99999),
        payMethod: 1,
        bankName: 'Sandbox Bank',
        account: `DE${r.digits(2)} ${r.digits(4)} ${r.digits(4)} ${r.digits(4)} ${r.digits(4)} ${r.digits(2)}`,
        bankAddress: '1 Loopback Street, Localhost',
        payee: profile.realName,
      },
    ],
    conversationId: spec.conversationId,
  };
}

type Line = readonly ['them' | 'me', string];

/** A short plausible history per order state (the venue has no history API; these are for /state). */
const PAST_LINES: Record<OrderState, readonly Line[]> = {
  NOT_PAID: [
    ['them', 'Hi, I just placed the order.'],
    ['me', 'Hello! Payment details are in the order, please put the order number as reference.'],
  ],
  PAID: [
    ['them', 'Hello'],
    ['me', 'Hi, please pay within 15 minutes.'],
    ['them', 'Paid, please check.'],
  ],
  DONE: [
    ['them', 'Hi'],
    ['me', 'Hi there'],
    ['them', 'Sent the money.'],
    ['me', 'Received, released. Thanks!'],
  ],
  CANCEL: [
    ['them', "Sorry, I can't pay today, cancelling."],
    ['me', 'No problem.'],
  ],
  TIMEOUT: [['me', 'Hello, are you still there?']],
  APPEAL: [['them', 'I paid but you did not release.']],
};

function pastMessages(order: Order, account: MerchantAccount): { draft: MessageDraft; time: number }[] {
  return PAST_LINES[order.state].map(([who, content], i) => ({
    time: order.createTime + (i + 1) * 45_000,
    draft: {
      conversationId: order.conversationId,
      content,
      type: 1,
      imageUrl: '',
      imageThumbUrl: '',
      videoUrl: '',
      fileUrl: '',
      fromUserId: who === 'me' ? account.userId : order.counterparty.userId,
      fromNickName: who === 'me' ? account.nickName : order.counterparty.nickName,
    },
  }));
}

/** The seeded orders plus more in progress until each account has `activeOrders` (a merchant desk). */
export function buildSeededStore(seed: number | string, now: number, activeOrders = 2): MexcStore {
  const store = new MexcStore(FIRST_MESSAGE_ID, FIRST_CONVERSATION_ID);
  const accounts = ACCOUNT_PROFILES.map((_, i) => makeAccount(seed, i));
  for (const account of accounts) store.addAccount(account);

  const history: { draft: MessageDraft; time: number }[] = [];
  let counterpartyIndex = 0;
  accounts.forEach((account, a) => {
    SEEDED_STATES.forEach(({ state, ageMs }, o) => {
      const r = seededRandom(seed, `order-${a}-${o}`);
      // Distinct counterparties per account: walk the name list instead of drawing from it.
      const names = COUNTERPARTY_NAMES[counterpartyIndex++ % COUNTERPARTY_NAMES.length] ?? COUNTERPARTY_NAMES[0];
      const counterparty = makeCounterparty(r, names?.[0]);
      const order = makeOrder(r, {
        account,
        counterparty: { ...counterparty, realName: names?.[1] ?? counterparty.realName, countryCode: names?.[2] ?? counterparty.countryCode },
        state,
        // Offset the second account slightly so createTimes never tie across accounts.
        createTime: now - ageMs - a * 37_000,
        conversationId: store.nextConversationId(),
      });
      store.addOrder(order);
      history.push(...pastMessages(order, account));
    });
    const seededActive = SEEDED_STATES.filter((s) => s.state === 'NOT_PAID' || s.state === 'PAID').length;
    for (let extra = 0; extra < activeOrders - seededActive; extra++) {
      const r = seededRandom(seed, `desk-order-${a}-${extra}`);
      const order = makeOrder(r, {
        account,
        counterparty: makeCounterparty(r),
        // Alternating states, placed over the last hour so they sort apart.
        state: extra % 2 === 0 ? 'NOT_PAID' : 'PAID',
        createTime: now - (2 + extra * 2) * MINUTE - a * 37_000 - 1000,
        conversationId: store.nextConversationId(),
      });
      store.addOrder(order);
      history.push(...pastMessages(order, account));
    }
  });
  // Ids must grow with time across conversations, as a single server sequence would.
  history.sort((x, y) => x.time - y.time);
  for (const { draft, time } of history) store.addMessage(draft, time);
  return store;
}
