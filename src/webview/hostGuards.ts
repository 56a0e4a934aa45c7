// Shape checks for host notifications other than messages (messages: shared/messageValidator.ts). The
// host is trusted; these keep a malformed payload from breaking the pane instead of being shown.
import * as l10n from '@vscode/l10n';
import { readConversation } from '../shared/conversationValidator';
import type { ComposerCapabilities, ConnectionState, Conversation, MessageKind, VenueId } from '../shared/model';
import type { VenueInfo } from '../shared/protocol';

const DEFAULT_MAX_TEXT = 4000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

function num(value: unknown, fallback = 0): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** The conversation the host posted, through the one conversation check (bad optional parts dropped). */
export function parseConversation(raw: unknown): Conversation | undefined {
  return readConversation(raw).conversation;
}

/** A missing or malformed venue info reads as a venue with history (the plain "No messages yet."). */
export function parseVenueInfo(raw: unknown, venue: VenueId): VenueInfo {
  const fallback = VENUE_LABELS[venue];
  if (!isRecord(raw)) return { name: fallback, serverHistory: true };
  return { name: typeof raw.name === 'string' && raw.name.trim() !== '' ? raw.name.slice(0, 100) : fallback, serverHistory: raw.serverHistory !== false };
}

export function parseConnectionState(raw: unknown): ConnectionState {
  if (!isRecord(raw)) return { kind: 'offline' };
  switch (raw.kind) {
    case 'online':
      return { kind: 'online', since: num(raw.since) };
    case 'connecting':
      return { kind: 'connecting' };
    case 'backoff':
      return { kind: 'backoff', until: num(raw.until), reason: str(raw.reason) };
    case 'auth-error':
      return { kind: 'auth-error', reason: str(raw.reason, l10n.t({ message: 'the venue rejected the credentials', comment: ['Why signing in failed, after "Sign-in failed:"'] })) };
    case 'stale':
      return { kind: 'stale', lastSync: num(raw.lastSync), reason: str(raw.reason) };
    case 'displaced':
      return { kind: 'displaced', reason: str(raw.reason) };
    case 'pairing':
      return { kind: 'pairing', reason: str(raw.reason, l10n.t({ message: 'waiting to be paired', comment: ['Why the account is not connected yet'] })) };
    default:
      return { kind: 'offline' };
  }
}

export function parseComposerCapabilities(raw: unknown): ComposerCapabilities {
  if (!isRecord(raw)) return { sendKinds: ['text'], mediaByUrl: false, canUpload: false, maxTextLength: DEFAULT_MAX_TEXT };
  const kinds = Array.isArray(raw.sendKinds) ? raw.sendKinds.filter((k): k is MessageKind => typeof k === 'string') : ['text' as const];
  const max = num(raw.maxTextLength, DEFAULT_MAX_TEXT);
  return {
    sendKinds: kinds,
    mediaByUrl: raw.mediaByUrl === true,
    canUpload: raw.canUpload === true,
    venueUpload: raw.venueUpload === true,
    replies: raw.replies === true,
    // The host's request schema caps text at 20 000 characters whatever the venue says.
    maxTextLength: max > 0 ? Math.min(Math.floor(max), 20_000) : DEFAULT_MAX_TEXT,
  };
}

export const VENUE_LABELS: Readonly<Record<VenueId, string>> = {
  mexc: 'MEXC',
  bybit: 'Bybit',
  binance: 'Binance',
  multiwa: 'WhatsApp (MultiWA)',
  mixin: 'Mixin',
};
