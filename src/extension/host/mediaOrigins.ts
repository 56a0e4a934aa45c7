// The media hosts a chat panel's CSP allows for an account (docs/architecture.md, Trust
// boundaries): the venue's known media hosts, the origins of the account's own endpoints (sandbox,
// self-hosted gateways) and any origins the user added in settings (`venueChat.media.extraOrigins`,
// user settings only). Everything else shows as a link instead of loading.
import type { VenueId } from '../../shared/model';
import type { AccountRecord } from './accounts';

const VENUE_MEDIA_HOSTS: Readonly<Record<VenueId, readonly string[]>> = {
  mexc: ['https://*.mexc.com', 'https://*.mocortech.com'],
  binance: ['https://*.binance.com', 'https://*.qalfdg.net', 'https://*.bnbstatic.com'],
  bybit: ['https://*.bybit.com', 'https://*.bycsi.com'],
  multiwa: [],
  mixin: ['https://*.mixin.one', 'https://*.mixin.zone', 'https://*.amazonaws.com'],
};

export function mediaOriginsFor(account: AccountRecord | undefined, extraOrigins: readonly string[]): string[] {
  if (!account) return [];
  const origins = new Set<string>(VENUE_MEDIA_HOSTS[account.venue]);
  for (const url of Object.values(account.endpoints)) {
    try {
      const u = new URL(url.replace(/^ws(s?):/, 'http$1:'));
      origins.add(u.origin);
    } catch {
      // Endpoints were validated when the account was added.
    }
  }
  for (const o of extraOrigins) if (/^https:\/\/[A-Za-z0-9.*-]+(:\d+)?$/.test(o)) origins.add(o);
  return [...origins];
}
