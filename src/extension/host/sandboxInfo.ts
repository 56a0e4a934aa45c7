// The sandbox's ready line as the extension reads it, and which of its accounts this version can
// add. The sandbox runs an emulator per venue; each account names its venue and carries the
// credentials, endpoints and settings to add it with. No vscode here, so it is unit-tested.
import { lazy, zod } from '../../shared/lazyZod';
import { VENUE_IDS, type VenueId } from '../../shared/model';

/** The one stdout line `dist/sandbox.js` prints when it is ready: this prefix, then the info JSON. */
export const SANDBOX_READY_PREFIX = 'VENUE_CHAT_SANDBOX_READY ';

/** Built when the sandbox starts, not at activation. */
const schemas = lazy(() => {
  const z = zod();
  const stringMap = z.record(z.string(), z.string());
  return {
    account: z.object({
      venue: z.string(),
      label: z.string().min(1),
      credentials: stringMap,
      endpoints: stringMap,
      settings: stringMap.optional(),
    }),
    // Only what the extension uses; venues and their control URLs are for people and tests.
    info: z.object({ control: z.string(), accounts: z.array(z.unknown()) }),
  };
});

export interface SandboxAccount {
  readonly venue: string;
  readonly label: string;
  readonly credentials: Record<string, string>;
  readonly endpoints: Record<string, string>;
  readonly settings?: Record<string, string>;
}

export interface SandboxInfo {
  readonly control: string;
  readonly accounts: readonly SandboxAccount[];
  /** Account entries that could not be read (a newer sandbox, an emulator bug); the others are used. */
  readonly unreadableAccounts: number;
}

export function parseSandboxInfo(json: string): SandboxInfo | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return undefined;
  }
  const parsed = schemas().info.safeParse(raw);
  if (!parsed.success) return undefined;
  const accounts: SandboxAccount[] = [];
  for (const entry of parsed.data.accounts) {
    const account = schemas().account.safeParse(entry);
    if (account.success) accounts.push(account.data);
  }
  return { control: parsed.data.control, accounts, unreadableAccounts: parsed.data.accounts.length - accounts.length };
}

export interface AddableSandboxAccount extends SandboxAccount {
  readonly venue: VenueId;
}

export interface SandboxAccountPlan {
  /** In the sandbox's order. */
  readonly add: readonly AddableSandboxAccount[];
  /** Venues with sandbox accounts this version cannot add (unknown, or no adapter yet), once each. */
  readonly skippedVenues: readonly string[];
}

function isVenueId(venue: string): venue is VenueId {
  return (VENUE_IDS as readonly string[]).includes(venue);
}

/** Which sandbox accounts to add: those of every venue the extension can add accounts for. */
export function planSandboxAccounts(info: SandboxInfo, canAdd: (venue: VenueId) => boolean): SandboxAccountPlan {
  const add: AddableSandboxAccount[] = [];
  const skipped = new Set<string>();
  for (const account of info.accounts) {
    const venue = account.venue;
    if (isVenueId(venue) && canAdd(venue)) add.push({ ...account, venue });
    else skipped.add(venue);
  }
  return { add, skippedVenues: [...skipped] };
}

/**
 * Where a saved sandbox account connects now (each run of the sandbox has new ports): the running
 * sandbox's account of that venue and label, else the venue's first account (its endpoints are
 * venue-wide in every emulator so far), else none.
 */
export function sandboxEndpointsFor(info: SandboxInfo, venue: string, label: string): Readonly<Record<string, string>> | undefined {
  const sameVenue = info.accounts.filter((a) => a.venue === venue);
  return (sameVenue.find((a) => a.label === label) ?? sameVenue[0])?.endpoints;
}
