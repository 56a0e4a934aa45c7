// MultiWA runs the adapter contract against its sandbox emulator once per realtime transport: the
// Socket.IO API of the current server and the plain WebSocket API of the docs. "Dropping the
// connections" cuts every live socket of that transport (the emulator refuses it for a moment);
// "receiving" means a socket of the account is subscribed to the profile.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../../../../sandbox/index';
import { MultiwaAdapter } from '../../../../src/extension/venues/multiwa/adapter';
import { apiKeyAuth } from '../../../../src/extension/venues/multiwa/auth';
import { describeAdapterContract } from './adapterContract';

interface SocketList {
  readonly socketIo: readonly { readonly rooms: readonly string[] }[];
  readonly plain: readonly { readonly profileId: string | null }[];
}

interface Row {
  readonly direction: string;
  readonly content: { readonly text?: string };
}

for (const transport of ['socketio', 'websocket'] as const) {
  describeAdapterContract(`MultiWA (${transport === 'socketio' ? 'Socket.IO' : 'plain WebSocket'})`, async () => {
    const sandbox = await startSandbox({ counterparty: false, venues: { multiwa: { messageDelayMs: 0, requestsPerMinute: 100_000, pingIntervalMs: 2000, pingTimeoutMs: 2000 } } });
    const multiwa = sandbox.venue('multiwa');
    const account = multiwa.accounts()[0]!;
    const profileId = account.settings.profileId;
    const media = mkdtempSync(join(tmpdir(), 'mwa-contract-'));
    const conversation = (multiwa.conversations(0) as { id: string }[])[0]!.id;
    const sockets = () => multiwa.sockets() as SocketList;
    const subscribed = () => (transport === 'socketio' ? sockets().socketIo.filter((s) => s.rooms.includes(`profile:${profileId}`)).length : sockets().plain.filter((s) => s.profileId === profileId).length);
    return {
      venue: 'multiwa',
      makeAdapter: (accountId, clock) =>
        new MultiwaAdapter({ accountId, baseUrl: account.endpoints.baseUrl, auth: apiKeyAuth(account.credentials.apiKey!), profileId, transport, mediaDir: media, pingMs: 1000, backoff: { baseMs: 50, maxMs: 300, minMs: 20 }, clock }),
      conversationId: () => conversation,
      counterpartySays: (c, text) => {
        multiwa.inject({ conversationId: c, text });
      },
      sentAtVenue: (c, text) => (multiwa.messages(c) as unknown as Row[]).filter((m) => m.direction === 'outgoing' && m.content.text === text).length,
      dropConnections: () => {
        const fault = transport === 'socketio' ? 'socketIoDisabled' : 'plainWsDisabled';
        multiwa.applyFaults({ [fault]: true });
        multiwa.applyFaults({ [fault]: false });
      },
      loseNextSendReply: () => {
        multiwa.applyFaults({ loseReplies: 1 });
      },
      sendBadInput: (c) => {
        multiwa.applyFaults({ malformedEvents: 1 });
        multiwa.inject({ conversationId: c, text: 'contract: carried by a garbled event' });
      },
      openConnections: () => sockets().socketIo.length + sockets().plain.length,
      receiving: () => subscribed() > 0,
      seedHistory: (c, count) => {
        for (let i = 0; i < count; i++) multiwa.inject({ conversationId: c, text: `contract: older message ${i}` });
      },
      close: async () => {
        await sandbox.close();
        rmSync(media, { recursive: true, force: true });
      },
    };
  });
}
