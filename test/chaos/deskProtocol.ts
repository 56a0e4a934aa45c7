// What the chaos soak and its desk process (the delivery core with real adapters, in a process the
// soak can kill) say to each other over Node's IPC channel.
import type { SandboxAccount } from '../../sandbox/host';

export interface DeskAccount {
  readonly id: string;
  readonly account: SandboxAccount;
}

export interface DeskConfig {
  readonly storageDir: string;
  /** Folder of the production venue bundles (dist/venues). */
  readonly venuesDir: string;
  readonly accounts: readonly DeskAccount[];
  /** Where the desk appends its log (one file across restarts). */
  readonly logFile: string;
}

export type ToDesk =
  | { readonly t: 'send'; readonly id: string; readonly accountId: string; readonly conversationId: string; readonly text: string }
  /** The user presses Retry on a message the product marked failed. */
  | { readonly t: 'retry'; readonly id: string }
  /** The user presses Reconnect on an account (after the venue said another client took the session). */
  | { readonly t: 'reconnect'; readonly accountId: string }
  /** Which of these the store holds (answered with `stored`): messages stored just before a kill were never reported. */
  | { readonly t: 'lookup'; readonly messages: readonly { readonly accountId: string; readonly conversationId: string; readonly text: string }[] }
  /** An orderly quit: the core is closed and the desk exits. */
  | { readonly t: 'quit' };

export type FromDesk =
  | { readonly t: 'ready' }
  /** The message is in the outbox (on disk): from now on it must reach the venue exactly once. */
  | { readonly t: 'accepted'; readonly id: string; readonly composedAt: number }
  /** The product gave up on one of our messages and asks the user (Retry, or check the chat). */
  | { readonly t: 'failed'; readonly id: string; readonly failure: string }
  /** The message was refused before it was queued (the user is told; nothing was queued). */
  | { readonly t: 'refused'; readonly id: string; readonly error: string }
  /** Messages from the counterparty that are now stored. */
  | { readonly t: 'stored'; readonly accountId: string; readonly texts: readonly string[] }
  | { readonly t: 'unhandled'; readonly error: string }
  | { readonly t: 'closed' };

export const DESK_FLAG = '--desk';
