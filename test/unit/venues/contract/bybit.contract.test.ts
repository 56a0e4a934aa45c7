// Bybit P2P runs the adapter contract against its sandbox emulator, once per chat API generation:
// account 0 keeps the order-scoped API, account 1 has it closed (the adapter moves to sessions).
// Bybit has no connections to hold: "receiving" a conversation means its chat was read recently,
// "dropping the connections" makes the next calls fail with 5xx.
import { startSandbox } from '../../../../sandbox/index';
import { BybitAdapter } from '../../../../src/extension/venues/bybit/adapter';
import type { BybitKey } from '../../../../src/extension/venues/bybit/signing';
import { describeAdapterContract } from './adapterContract';

const CHAT_READS = /^\/v5\/p2p\/(order\/message\/listpage|chat\/message\/listpage(_v1)?)$/;

for (const [account, generation] of [[0, 'order-scoped'], [1, 'session']] as const) {
  describeAdapterContract(`Bybit (${generation} chat API)`, async () => {
    const sandbox = await startSandbox({ counterparty: false, venues: { bybit: { sendPerSecond: 50, listPerSecond: 100 } } });
    const bybit = sandbox.venue('bybit');
    const info = bybit.accounts()[account]!;
    const key: BybitKey = info.credentials.keyType === 'rsa' ? { kind: 'rsa', apiKey: info.credentials.apiKey, privateKeyPem: info.credentials.privateKey } : { kind: 'hmac', apiKey: info.credentials.apiKey, secret: info.credentials.secret };
    const me = bybit.identity(account);
    const order = bybit.orders(account).find((o) => o.status === 10)!;
    // The order-scoped API reads a chat by order id, the session API by the counterparty's session.
    const marker = generation === 'session' ? order.sessionId : order.orderId;
    const recentlyRead = () => {
      const since = bybit.now() - 2500;
      return bybit.requests({ kind: 'rest' }).some((r) => r.time >= since && r.apiKey === info.credentials.apiKey && CHAT_READS.test(r.path) && r.retCode === 0 && JSON.stringify(r.body ?? '').includes(marker));
    };
    return {
      venue: 'bybit',
      makeAdapter: (accountId, clock) => new BybitAdapter({ accountId, key, endpoints: info.endpoints, chatPollFastMs: 150, chatPollIdleMs: 1000, orderPollMs: 1000, clock }),
      conversationId: () => order.orderId,
      counterpartySays: (c, text) => {
        bybit.inject({ orderId: c, content: text });
      },
      sentAtVenue: (c, text) => bybit.messages(c).filter((m) => m.fromUserId === me.userId && m.content === text).length,
      dropConnections: () => {
        bybit.applyFaults({ http5xx: 3 });
      },
      loseNextSendReply: () => {
        bybit.applyFaults({ loseReplies: 1 });
      },
      sendBadInput: () => {
        bybit.applyFaults({ malformedItems: 1 });
      },
      openConnections: () => 0,
      receiving: () => recentlyRead(),
      seedHistory: (c, count) => {
        for (let i = 0; i < count; i++) bybit.inject({ orderId: c, content: `contract: older message ${i}` });
      },
      close: () => sandbox.close(),
    };
  });
}
