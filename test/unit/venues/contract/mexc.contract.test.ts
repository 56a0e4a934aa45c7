// MEXC runs the adapter contract against its sandbox emulator.
import { MexcAdapter } from '../../../../src/extension/venues/mexc/adapter';
import { describeAdapterContract } from './adapterContract';
import { mexcHarness } from './mexcHarness';

describeAdapterContract('MEXC', () =>
  mexcHarness((account, accountId, clock) => new MexcAdapter({ accountId, credentials: account.credentials, endpoints: account.endpoints, heartbeatMs: 500, sendReplyTimeoutMs: 1000, clock })),
);
