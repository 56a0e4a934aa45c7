// The spine's fake venue runs the same contract, covering the history and upload steps MEXC skips,
// once with a live feed and once receiving through the core poller (as Bybit will).
import { VenueError } from '../../../../src/extension/venues/venue';
import { FakeAdapter, FakeVenueBackend } from '../../helpers/fakeVenue';
import { describeAdapterContract } from './adapterContract';

for (const poll of [false, true]) {
  describeAdapterContract(poll ? 'fake venue (polling, history, upload)' : 'fake venue (history, upload)', async () => {
    const backend = new FakeVenueBackend();
    let adapter: FakeAdapter | undefined;
    return {
      venue: 'bybit',
      makeAdapter: (accountId, clock) => {
        adapter = new FakeAdapter(backend, { accountId, echo: true, poll, clock });
        return adapter;
      },
      conversationId: () => 'fake-1',
      counterpartySays: (c, text) => {
        backend.add(c, text);
      },
      sentAtVenue: (c, text) => (backend.messages.get(c) ?? []).filter((m) => m.self && m.text === text).length,
      dropConnections: () => {
        adapter?.drop();
        setTimeout(() => adapter?.goOnline(), 50);
      },
      loseNextSendReply: () => {
        adapter?.sendScript.push(async (m) => {
          backend.add(m.conversationId, m.text, { self: true });
          throw new VenueError('unknown-outcome', 'the reply was lost');
        });
      },
      sendBadInput: (c) => {
        adapter?.emit({ type: 'badInput', where: `fake chat ${c}`, detail: 'a frame that is not JSON' });
      },
      openConnections: () => (adapter?.connected ? 1 : 0),
      receiving: () => adapter?.connected ?? false,
      seedHistory: (c, count) => {
        for (let i = 0; i < count; i++) backend.add(c, `old ${i}`);
      },
      close: async () => {
        adapter?.dispose();
      },
    };
  });
}
