// Binance C2C runs the adapter contract against its sandbox emulator: one socket per user carries
// every order's chat, so "receiving" a conversation means the account's socket is live.
import { startSandbox } from '../../../../sandbox/index';
import { BinanceAdapter } from '../../../../src/extension/venues/binance/adapter';
import { describeAdapterContract } from './adapterContract';

describeAdapterContract('Binance', async () => {
  const sandbox = await startSandbox({ heartbeatTimeoutMs: 3000, counterparty: false });
  const binance = sandbox.venue('binance');
  const account = binance.accounts()[0]!;
  const userId = binance.state().accounts[0]!.userId;
  const order = binance.orders(0).find((o) => o.status === 'TRADING')!;
  const live = () => binance.sockets().filter((s) => s.state === 'live' && s.userId === userId);
  return {
    venue: 'binance',
    makeAdapter: (accountId, clock) => new BinanceAdapter({ accountId, credentials: account.credentials, endpoints: account.endpoints, heartbeatMs: 500, echoTimeoutMs: 1000, clock }),
    conversationId: () => order.orderNo,
    counterpartySays: (c, text) => {
      binance.inject({ orderNo: c, content: text });
    },
    sentAtVenue: (c, text) => binance.messages(c).filter((m) => m.fromUserId === userId && m.content === text).length,
    dropConnections: () => {
      binance.applyFaults({ dropAll: true });
    },
    loseNextSendReply: () => {
      binance.applyFaults({ loseEchoes: 1 });
    },
    sendBadInput: () => {
      binance.pushRaw(0, '{"type":"text","orderNo":');
    },
    openConnections: () => live().length,
    receiving: () => live().length > 0,
    seedHistory: (c, count) => {
      for (let i = 0; i < count; i++) binance.inject({ orderNo: c, content: `contract: older message ${i}` });
    },
    close: () => sandbox.close(),
  };
});
