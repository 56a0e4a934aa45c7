// The five venues as the host sees them: each one's account form and, once its adapter exists, how
// to build it. The types are in descriptor.ts, the form checks in accountInput.ts.
import type { VenueId } from '../../shared/model';
import { BINANCE_DESCRIPTOR } from './binance/descriptor';
import { BYBIT_DESCRIPTOR } from './bybit/descriptor';
import type { AdapterContext, VenueDescriptor } from './descriptor';
import { MEXC_DESCRIPTOR } from './mexc/descriptor';
import { MIXIN_DESCRIPTOR } from './mixin/descriptor';
import { MULTIWA_DESCRIPTOR } from './multiwa/descriptor';
import { VenueError, type VenueAdapter } from './venue';

export type { AdapterContext, EndpointDescriptor, EndpointPreset, FieldDescriptor, SettingDescriptor, VenueDescriptor } from './descriptor';

export const VENUES: readonly VenueDescriptor[] = [MEXC_DESCRIPTOR, BINANCE_DESCRIPTOR, BYBIT_DESCRIPTOR, MULTIWA_DESCRIPTOR, MIXIN_DESCRIPTOR];

export function venueDescriptor(id: VenueId): VenueDescriptor {
  const d = VENUES.find((v) => v.id === id);
  if (!d) throw new Error(`unknown venue ${id}`);
  return d;
}

export function createAdapter(venue: VenueId, ctx: AdapterContext): VenueAdapter {
  const d = venueDescriptor(venue);
  if (!d.create) throw new VenueError('rejected', `${d.name} is not supported yet in this version of Venue Chat.`);
  return d.create(ctx);
}
