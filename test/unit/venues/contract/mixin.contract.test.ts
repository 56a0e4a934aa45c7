// Mixin runs the adapter contract against its sandbox emulator: one Blaze socket for the bot,
// messages pushed until acknowledged (so "dropping the connection" also proves redelivery is
// de-duplicated), sends by message_id, attachments through POST /attachments + PUT.
import { startSandbox } from '../../../../sandbox/index';
import { MixinAdapter } from '../../../../src/extension/venues/mixin/adapter';
import { parseMixinKeystore } from '../../../../src/extension/venues/mixin/keystore';
import { describeAdapterContract } from './adapterContract';

interface View {
  readonly user_id: string;
  readonly category: string;
  readonly data?: string;
  readonly data_base64?: string;
}

const text = (v: View) => Buffer.from((v.data_base64 ?? v.data ?? '').replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');

describeAdapterContract('Mixin (Blaze)', async () => {
  const sandbox = await startSandbox({ counterparty: false });
  const mixin = sandbox.venue('mixin');
  const account = mixin.accounts()[0]!;
  const parsed = parseMixinKeystore(account.credentials.keystore);
  if (!parsed.ok) throw new Error(parsed.problem);
  const keystore = parsed.keystore;
  const conversation = mixin.conversationOf(0);
  const sockets = () => mixin.sockets() as { listening: boolean }[];
  return {
    venue: 'mixin',
    makeAdapter: (accountId, clock) => new MixinAdapter({ accountId, keystore, endpoints: account.endpoints, replyTimeoutMs: 1000, backoff: { baseMs: 50, maxMs: 300, minMs: 20 }, ackDelayMs: 20, clock }),
    conversationId: () => conversation,
    counterpartySays: (c, words) => {
      mixin.inject({ conversationId: c, category: 'PLAIN_TEXT', text: words });
    },
    sentAtVenue: (c, words) => (mixin.messages(c) as unknown as View[]).filter((m) => m.user_id === keystore.appId && m.category === 'PLAIN_TEXT' && text(m) === words).length,
    dropConnections: () => {
      mixin.applyFaults({ dropSockets: true });
    },
    loseNextSendReply: () => {
      // The reply comes after the client's timeout: the client cannot know whether it landed.
      mixin.applyFaults({ slowReplies: { ms: 3000, n: 1 } });
    },
    sendBadInput: (c) => {
      mixin.inject({ conversationId: c, category: 'PLAIN_IMAGE', data: { not: 'an image' } });
    },
    openConnections: () => sockets().length,
    receiving: () => sockets().some((s) => s.listening),
    close: () => sandbox.close(),
  };
});
