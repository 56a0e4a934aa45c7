// The five venues as the chaos soak plays them: which sandbox account and conversations it uses, how
// the counterparty says something, what the venue holds from us (in the venue's order), and the
// fault switches drawn from at random. Everything goes through the sandbox's own hooks, the same
// state its control API serves.
import type { Sandbox } from '../../sandbox/index';
import type { SandboxAccount } from '../../sandbox/host';

/** One fault as the soak applies it: a name for the report, and what it does at the venue. */
export interface ChaosFault {
  readonly name: string;
  apply(): void;
  /**
   * The product stops reconnecting by design and asks the user (Binance "Bye": another client took
   * the chat session, so it does not fight it for minutes); the soak's user presses Reconnect.
   */
  readonly userReconnects?: boolean;
}

export interface ChaosVenue {
  readonly venue: string;
  readonly account: SandboxAccount;
  /** The conversations the soak chats in (the account can send in each right now). */
  readonly conversations: readonly string[];
  /** The counterparty writes `text` in the conversation. */
  counterpartySays(conversationId: string, text: string): void;
  /** Texts of our messages the venue holds in the conversation, in the venue's order. */
  ours(conversationId: string): string[];
  readonly faults: readonly ChaosFault[];
  /** Switches every lasting fault off again (half-open sockets, slow replies, a disabled API). */
  clearFaults(): void;
  /**
   * Venues that keep no chat history (MEXC): whether the venue pushed the counterparty's message to
   * a live socket of ours. One pushed to none is gone for any client (the pane shows a gap instead).
   */
  readonly pushedToClient?: (text: string) => boolean;
}

/** Sandbox settings for the soak: the venues' own limits are kept, but raised where they would make 2,000 messages take an hour. */
export const CHAOS_SANDBOX_VENUES = {
  // 5 sends/s per account is Bybit's limit; 2,000 messages would take 7 minutes at it. The limit itself is tested in the Bybit suites.
  bybit: { sendPerSecond: 60, listPerSecond: 120 },
  // MultiWA's throttler allows 120 requests a minute by default, and delays counterparty messages by 1.5 s.
  multiwa: { requestsPerMinute: 1_000_000, messageDelayMs: 0 },
} as const;

const MAX_CONVERSATIONS = 3;

export function chaosVenues(sandbox: Sandbox): ChaosVenue[] {
  return [mexc(sandbox), binance(sandbox), bybit(sandbox), multiwa(sandbox), mixin(sandbox)];
}

function accountOf(sandbox: Sandbox, venue: string, index = 0): SandboxAccount {
  const account = sandbox.info.accounts.filter((a) => a.venue === venue)[index];
  if (!account) throw new Error(`the sandbox has no ${venue} account ${index}`);
  return account;
}

function mexc(sandbox: Sandbox): ChaosVenue {
  const handle = sandbox.venue('mexc');
  const account = accountOf(sandbox, 'mexc');
  const orders = handle.state().orders.filter((o) => o.apiKey === account.credentials['apiKey'] && (o.state === 'NOT_PAID' || o.state === 'PAID'));
  const said = new Map<string, number>();
  return {
    venue: 'mexc',
    account,
    conversations: orders.slice(0, MAX_CONVERSATIONS).map((o) => String(o.conversationId)),
    counterpartySays: (c, text) => void said.set(text, handle.inject({ conversationId: Number(c), content: text }).id),
    pushedToClient: (text) => handle.pushCount(said.get(text) ?? -1) > 0,
    ours: (c) => handle.messages(Number(c)).filter((m) => m.self).map((m) => m.content ?? ''),
    faults: [
      { name: 'socket drop', apply: () => handle.applyFaults({ dropAll: true }) },
      { name: 'half-open sockets', apply: () => handle.applyFaults({ halfOpen: true }) },
      { name: 'upgrades refused (503)', apply: () => handle.applyFaults({ rejectUpgrades: 2 }) },
      { name: 'send reply lost', apply: () => handle.applyFaults({ loseSendReplies: 1 }) },
      { name: '429', apply: () => handle.applyFaults({ rateLimitNext: 2 }) },
      { name: 'listen keys expired', apply: () => handle.applyFaults({ expireListenKeys: true }) },
    ],
    clearFaults: () => void handle.applyFaults({ halfOpen: false, rejectUpgrades: 0, loseSendReplies: 0, rateLimitNext: 0 }),
  };
}

function binance(sandbox: Sandbox): ChaosVenue {
  const handle = sandbox.venue('binance');
  const account = accountOf(sandbox, 'binance');
  const userId = handle.state().accounts[0]!.userId;
  const orders = handle.orders(0).filter((o) => o.status === 'TRADING');
  let duplicating: NodeJS.Timeout | undefined;
  return {
    venue: 'binance',
    account,
    conversations: orders.slice(0, MAX_CONVERSATIONS).map((o) => o.orderNo),
    counterpartySays: (c, text) => void handle.inject({ orderNo: c, content: text }),
    ours: (c) => handle.messages(c).filter((m) => m.fromUserId === userId).map((m) => (typeof m['content'] === 'string' ? m['content'] : '')),
    faults: [
      { name: 'Bye', apply: () => handle.applyFaults({ bye: true }), userReconnects: true },
      { name: 'socket drop', apply: () => handle.applyFaults({ dropAll: true }) },
      { name: 'half-open sockets', apply: () => handle.applyFaults({ halfOpen: true }) },
      { name: 'listen tokens expired', apply: () => handle.applyFaults({ expireTokens: true }) },
      { name: 'upgrades refused (401)', apply: () => handle.applyFaults({ rejectUpgrades: 2 }) },
      { name: 'echo lost', apply: () => handle.applyFaults({ loseEchoes: 1 }) },
      { name: '429 with Retry-After', apply: () => handle.applyFaults({ http429: 2 }) },
      { name: '5xx', apply: () => handle.applyFaults({ http5xx: 2 }) },
      {
        name: 'every push twice (1 s)',
        apply: () => {
          handle.applyFaults({ duplicatePushes: true });
          clearTimeout(duplicating);
          duplicating = setTimeout(() => handle.applyFaults({ duplicatePushes: false }), 1_000);
        },
      },
    ],
    clearFaults: () => {
      clearTimeout(duplicating);
      handle.applyFaults({ halfOpen: false, duplicatePushes: false, rejectUpgrades: 0, loseEchoes: 0, http429: 0, http5xx: 0 });
    },
  };
}

function bybit(sandbox: Sandbox): ChaosVenue {
  const handle = sandbox.venue('bybit');
  const account = accountOf(sandbox, 'bybit');
  const me = handle.identity(0);
  const orders = handle.orders(0).filter((o) => o.status === 10);
  let switched = false;
  return {
    venue: 'bybit',
    account,
    conversations: orders.slice(0, MAX_CONVERSATIONS).map((o) => o.orderId),
    counterpartySays: (c, text) => void handle.inject({ orderId: c, content: text }),
    ours: (c) => handle.messages(c).filter((m) => m.fromUserId === me.userId).map((m) => m.content ?? ''),
    faults: [
      { name: '429', apply: () => handle.applyFaults({ http429: 2 }) },
      { name: '5xx', apply: () => handle.applyFaults({ http5xx: 2 }) },
      { name: 'rate limit 10006', apply: () => handle.applyFaults({ rateLimit: 2 }) },
      { name: 'reply lost after commit', apply: () => handle.applyFaults({ loseReplies: 1 }) },
      { name: 'slow replies', apply: () => handle.applyFaults({ slowReplies: { ms: 1_500, n: 2 } }) },
      { name: 'malformed item', apply: () => handle.applyFaults({ malformedItems: 1 }) },
      {
        // The order-scoped chat API closes for the account (once: the venue does not reopen it).
        name: 'chat API switch',
        apply: () => {
          if (switched) return void handle.applyFaults({ http5xx: 1 });
          switched = true;
          handle.applyFaults({ legacyChatClosed: [0, 1] });
        },
      },
    ],
    clearFaults: () => void handle.applyFaults({ http429: 0, http5xx: 0, rateLimit: 0, loseReplies: 0, slowReplies: { ms: 0, n: 0 }, malformedItems: 0 }),
  };
}

interface MultiwaConversationView {
  readonly id: string;
}
interface MultiwaProfileView {
  readonly id: string;
  readonly status: string;
}
interface MultiwaMessageView {
  readonly direction: string;
  readonly content: { readonly text?: string };
}

function multiwa(sandbox: Sandbox): ChaosVenue {
  const handle = sandbox.venue('multiwa');
  const account = accountOf(sandbox, 'multiwa');
  const conversations = (handle.conversations(0) as MultiwaConversationView[]).slice(0, MAX_CONVERSATIONS).map((c) => c.id);
  return {
    venue: 'multiwa',
    account,
    conversations,
    counterpartySays: (c, text) => void handle.inject({ conversationId: c, text }),
    ours: (c) => (handle.messages(c) as unknown as MultiwaMessageView[]).filter((m) => m.direction === 'outgoing').map((m) => m.content.text ?? ''),
    faults: [
      { name: 'events lost', apply: () => handle.applyFaults({ loseEvents: 2 }) },
      { name: 'malformed event', apply: () => handle.applyFaults({ malformedEvents: 1 }) },
      {
        name: 'profile disconnect',
        apply: () => {
          // The emulator refuses a drop while the profile is still reconnecting from the last one
          // (the gateway has nothing to drop): that draw is no fault, not the end of the soak.
          const profile = (handle.profiles() as MultiwaProfileView[]).find((p) => p.id === account.settings?.['profileId']);
          if (profile?.status === 'connected') handle.applyFaults({ profileDisconnect: { recoverAfterMs: 1_000 } });
        },
      },
      { name: '429', apply: () => handle.applyFaults({ http429: 2 }) },
      { name: '5xx', apply: () => handle.applyFaults({ http5xx: 2 }) },
      { name: 'reply lost after send', apply: () => handle.applyFaults({ loseReplies: 1 }) },
      { name: 'slow replies', apply: () => handle.applyFaults({ slowReplies: { ms: 1_500, n: 2 } }) },
      {
        name: 'socket drop',
        apply: () => {
          handle.applyFaults({ socketIoDisabled: true, plainWsDisabled: true });
          handle.applyFaults({ socketIoDisabled: false, plainWsDisabled: false });
        },
      },
    ],
    clearFaults: () => void handle.applyFaults({ loseEvents: 0, malformedEvents: 0, http429: 0, http5xx: 0, loseReplies: 0, slowReplies: { ms: 0, n: 0 } }),
  };
}

interface MixinMessageView {
  readonly user_id?: string;
  readonly category?: string;
  readonly data?: string;
  readonly data_base64?: string;
}

function mixin(sandbox: Sandbox): ChaosVenue {
  const handle = sandbox.venue('mixin');
  const account = accountOf(sandbox, 'mixin');
  const appId = (JSON.parse(account.credentials['keystore'] ?? '{}') as { app_id?: string }).app_id;
  const text = (m: MixinMessageView) => Buffer.from((m.data_base64 ?? m.data ?? '').replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  return {
    venue: 'mixin',
    account,
    conversations: [0, 1, 2].slice(0, MAX_CONVERSATIONS).map((i) => handle.conversationOf(i)),
    counterpartySays: (c, words) => void handle.inject({ conversationId: c, category: 'PLAIN_TEXT', text: words }),
    ours: (c) => (handle.messages(c) as MixinMessageView[]).filter((m) => m.user_id === appId && m.category === 'PLAIN_TEXT').map(text),
    faults: [
      { name: 'socket drop', apply: () => handle.applyFaults({ dropSockets: true }) },
      { name: 'redelivery', apply: () => handle.applyFaults({ redeliver: true }) },
      { name: 'slow replies', apply: () => handle.applyFaults({ slowReplies: { ms: 1_500, n: 2 } }) },
      { name: 'error 7000', apply: () => handle.applyFaults({ error: { code: 7000, n: 1 } }) },
      { name: 'error 7001', apply: () => handle.applyFaults({ error: { code: 7001, n: 1 } }) },
      { name: '429', apply: () => handle.applyFaults({ http429: 1 }) },
    ],
    clearFaults: () => void handle.applyFaults({ slowReplies: { ms: 0, n: 0 }, error: { code: 7000, n: 0 }, http429: 0, pingsOff: false }),
  };
}
