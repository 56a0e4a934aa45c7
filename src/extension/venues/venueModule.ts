// What a venue's own bundle (dist/venues/<venue>.js, built from venues/<venue>/module.ts) exports:
// everything that needs the venue's adapter code. The account form stays in the main bundle
// (descriptor.ts); this part is loaded by the registry the first time an account of the venue
// needs it (registry.ts, VenueLoader).
import type { VenueId } from '../../shared/model';
import type { AdapterContext, ChoiceOption } from './descriptor';
import type { VenueAdapter } from './venue';

export interface VenueModule {
  readonly venue: VenueId;
  /** Builds the adapter of one account; a `VenueError('auth')` when the stored keys cannot be used. */
  createAdapter(ctx: AdapterContext): VenueAdapter;
  /** The values a setting marked `discoverable` can take, read from the venue with the account's keys. */
  discoverSetting?(key: string, ctx: AdapterContext): Promise<readonly ChoiceOption[]>;
}

/** The name of the export a venue bundle carries its module under. */
export const VENUE_MODULE_EXPORT = 'venueModule';
