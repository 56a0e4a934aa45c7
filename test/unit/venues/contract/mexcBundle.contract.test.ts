// The contract again, with the MEXC adapter loaded from its venue bundle (dist/venues/mexc.js) the
// way the extension loads it: the hub, store and outbox here are this test bundle's copies, the
// adapter's classes (VenueError and its subclasses among them) the venue bundle's own. Unknown
// outcomes, rejections and auth failures must still mean the same to the core.
import { Redactor } from '../../../../src/extension/core/redact';
import type { AccountStateStore } from '../../../../src/extension/venues/descriptor';
import { VenueLoader } from '../../../../src/extension/venues/registry';
import { venueBundleDir } from '../../helpers/distBundles';
import { describeAdapterContract } from './adapterContract';
import { mexcHarness } from './mexcHarness';

const noState: AccountStateStore = { get: () => undefined, set: async () => undefined, delete: async () => undefined };

describeAdapterContract('MEXC, adapter from dist/venues/mexc.js', () => {
  const loader = VenueLoader.fromDirectory(venueBundleDir());
  return mexcHarness((account, accountId, clock) =>
    loader.createAdapter('mexc', {
      accountId,
      credentials: account.credentials,
      endpoints: account.endpoints,
      settings: {},
      state: noState,
      redactor: new Redactor(),
      options: { heartbeatMs: 500, sendReplyTimeoutMs: 1000 },
      clock,
    }),
  );
});
