// MEXC runs the adapter contract against its sandbox emulator.
import { startSandbox } from '../../../../sandbox/index';
import { MexcAdapter } from '../../../../src/extension/venues/mexc/adapter';
import { describeAdapterContract } from './adapterContract';

describeAdapterContract('MEXC', async () => {
  const sandbox = await startSandbox({ heartbeatTimeoutMs: 3000, counterparty: false, sweepIntervalMs: 50 });
  const mexc = sandbox.venue('mexc');
  const account = mexc.accounts()[0]!;
  const order = mexc.state().orders.find((o) => o.apiKey === account.credentials.apiKey && (o.state === 'NOT_PAID' || o.state === 'PAID'))!;
  const conversationNumber = order.conversationId;
  return {
    venue: 'mexc',
    makeAdapter: (accountId, clock) => new MexcAdapter({ accountId, credentials: account.credentials, endpoints: account.endpoints, heartbeatMs: 500, sendReplyTimeoutMs: 1000, clock }),
    conversationId: () => String(conversationNumber),
    counterpartySays: (_c, text) => {
      mexc.inject({ conversationId: conversationNumber, content: text });
    },
    sentAtVenue: (_c, text) => mexc.messages(conversationNumber).filter((m) => m.self && m.content === text).length,
    dropConnections: () => {
      mexc.applyFaults({ dropAll: true });
    },
    loseNextSendReply: () => {
      mexc.applyFaults({ loseSendReplies: 1 });
    },
    sendBadInput: (_c) => {
      mexc.pushRaw(conversationNumber, '{"success":true,"method":"RECEIVE_MESSAGE","data":"{not json');
    },
    openConnections: () => mexc.sockets().filter((s) => s.state === 'live').length,
    receiving: (c) => mexc.sockets().some((s) => s.state === 'live' && String(s.conversationId) === c),
    close: () => sandbox.close(),
  };
});
