// The MEXC sandbox side of the adapter contract, for the adapter built in-test and for the one
// loaded from its venue bundle (dist/venues/mexc.js).
import { startSandbox } from '../../../../sandbox/index';
import type { Clock } from '../../../../src/extension/core/clock';
import type { VenueAdapter } from '../../../../src/extension/venues/venue';
import type { ContractHarness } from './adapterContract';

export interface MexcAccount {
  readonly credentials: { readonly apiKey: string; readonly secretKey: string };
  readonly endpoints: { readonly rest: string; readonly ws: string };
}

export async function mexcHarness(makeAdapter: (account: MexcAccount, accountId: string, clock: Clock) => VenueAdapter): Promise<ContractHarness> {
  const sandbox = await startSandbox({ heartbeatTimeoutMs: 3000, counterparty: false, sweepIntervalMs: 50 });
  const mexc = sandbox.venue('mexc');
  const account = mexc.accounts()[0]!;
  const order = mexc.state().orders.find((o) => o.apiKey === account.credentials.apiKey && (o.state === 'NOT_PAID' || o.state === 'PAID'))!;
  const conversationNumber = order.conversationId;
  return {
    venue: 'mexc',
    makeAdapter: (accountId, clock) => makeAdapter(account, accountId, clock),
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
}
