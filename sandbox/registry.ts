// Every venue emulator the sandbox starts: one line per venue folder. Adding a venue is its
// folder (a `plugin.ts` exporting an EmulatorDefinition) plus one line here.
import { binanceEmulator } from './binance/plugin';
import { bybitEmulator } from './bybit/plugin';
import { mexcEmulator } from './mexc/plugin';
import { mixinEmulator } from './mixin/plugin';
import { multiwaEmulator } from './multiwa/plugin';

export const EMULATORS = [mexcEmulator, binanceEmulator, bybitEmulator, multiwaEmulator, mixinEmulator] as const;

export type Emulators = typeof EMULATORS;
