// The five venues as the host sees them: each one's account form (in the main bundle), and the
// loader of each venue's adapter code (its own bundle, dist/venues/<venue>.js), required the first
// time an account of that venue is connected, added or configured. The types are in descriptor.ts,
// the form checks in accountInput.ts, what a venue bundle exports in venueModule.ts.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { VenueId } from '../../shared/model';
import { BINANCE_DESCRIPTOR } from './binance/descriptor';
import { BYBIT_DESCRIPTOR } from './bybit/descriptor';
import type { AdapterContext, ChoiceOption, VenueDescriptor } from './descriptor';
import { MEXC_DESCRIPTOR } from './mexc/descriptor';
import { MIXIN_DESCRIPTOR } from './mixin/descriptor';
import { MULTIWA_DESCRIPTOR } from './multiwa/descriptor';
import { VenueError, type VenueAdapter } from './venue';
import { VENUE_MODULE_EXPORT, type VenueModule } from './venueModule';
import * as l10n from '@vscode/l10n';

export type { AdapterContext, EndpointDescriptor, EndpointPreset, FieldDescriptor, SettingDescriptor, VenueDescriptor } from './descriptor';

export const VENUES: readonly VenueDescriptor[] = [MEXC_DESCRIPTOR, BINANCE_DESCRIPTOR, BYBIT_DESCRIPTOR, MULTIWA_DESCRIPTOR, MIXIN_DESCRIPTOR];

export function venueDescriptor(id: VenueId): VenueDescriptor {
  const d = VENUES.find((v) => v.id === id);
  if (!d) throw new Error(`unknown venue ${id}`);
  return d;
}

/** What a venue bundle's file exports (module.exports), read by name; checked before use. */
export type VenueBundleSource = (venue: VenueId) => unknown;

/**
 * Loads each venue's module once, on first need, and remembers which it loaded. Nothing of a venue's
 * adapter code (its REST client, sockets, axios, ws) is loaded before an account of it needs it.
 */
export class VenueLoader {
  private readonly modules = new Map<VenueId, VenueModule>();

  constructor(private readonly source: VenueBundleSource) {}

  /** The production layout: `<dir>/<venue>.js`, CommonJS, loaded with `require`. */
  static fromDirectory(dir: string): VenueLoader {
    const load = createRequire(join(dir, 'loader.js'));
    return new VenueLoader((venue) => load(join(dir, `${venue}.js`)));
  }

  /** Venues whose module is loaded, in the order they were loaded. */
  loaded(): readonly VenueId[] {
    return [...this.modules.keys()];
  }

  module(venue: VenueId): VenueModule {
    const known = this.modules.get(venue);
    if (known) return known;
    const descriptor = venueDescriptor(venue);
    if (!descriptor.supported) throw new VenueError('rejected', l10n.t('{0} is not supported yet in this version of Venue Chat.', descriptor.name));
    let exported: unknown;
    try {
      exported = this.source(venue);
    } catch (err) {
      throw new Error(`the ${descriptor.name} code could not be loaded (reinstalling Venue Chat may help): ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    const module = isVenueModule(exported, venue) ? exported[VENUE_MODULE_EXPORT] : undefined;
    if (!module) throw new Error(`the ${descriptor.name} code is not what this version of Venue Chat expects (reinstalling it may help)`);
    this.modules.set(venue, module);
    return module;
  }

  createAdapter(venue: VenueId, ctx: AdapterContext): VenueAdapter {
    return this.module(venue).createAdapter(ctx);
  }

  /** The values of a `discoverable` setting, read from the venue with the account's keys. */
  async discoverSetting(venue: VenueId, key: string, ctx: AdapterContext): Promise<readonly ChoiceOption[]> {
    const module = this.module(venue);
    if (!module.discoverSetting) throw new Error(`${venueDescriptor(venue).name} lists no values for the setting "${key}"`);
    return module.discoverSetting(key, ctx);
  }
}

function isVenueModule(exported: unknown, venue: VenueId): exported is { readonly [VENUE_MODULE_EXPORT]: VenueModule } {
  if (typeof exported !== 'object' || exported === null) return false;
  const module: unknown = (exported as Record<string, unknown>)[VENUE_MODULE_EXPORT];
  if (typeof module !== 'object' || module === null) return false;
  const m = module as Partial<Record<keyof VenueModule, unknown>>;
  return m.venue === venue && typeof m.createAdapter === 'function' && (m.discoverSetting === undefined || typeof m.discoverSetting === 'function');
}
