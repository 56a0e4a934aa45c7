// Entry point of the sandbox: local, faithful emulators of the venues behind one control API.
// Independent of src/ on purpose: the client's own code must never be what verifies it.
import { startSandboxWith, type Sandbox, type SandboxOptions } from './host';
import { EMULATORS, type Emulators } from './registry';

export { startSandboxWith } from './host';
export type { Sandbox, SandboxOptions, SandboxInfo, SandboxVenueInfo, SandboxAccount } from './host';
export { EMULATORS } from './registry';
export type { Emulators } from './registry';
export { SandboxInputError } from './util/input';
export type {
  CommonEmulatorOptions, ControlHandler, ControlRoutes, EmulatorAccount, EmulatorContext, EmulatorDefinition, EmulatorRegistry, RunningEmulator,
} from './venueEmulator';

export { MexcEmulator } from './mexc/emulator';
export type { MexcAccountInfo, MessageView, OrderView, MexcStateSnapshot, InjectInput, CreateOrderInput, SetOrderStateInput } from './mexc/emulator';
export type { MexcOptions } from './mexc/plugin';
export type { FaultRequest, FaultState } from './mexc/faults';
export type { RequestRecord, FrameRecord } from './mexc/records';

export { BinanceEmulator } from './binance/emulator';
export type {
  BinanceAccountInfo, BinanceOrderView, BinanceMessageView, BinanceStateSnapshot, BinanceInjectInput, BinanceCreateOrderInput, BinanceSetOrderStateInput,
} from './binance/emulator';
export type { BinanceOptions } from './binance/plugin';
export type { FaultRequest as BinanceFaultRequest, FaultState as BinanceFaultState } from './binance/faults';
export type { RequestRecord as BinanceRequestRecord, FrameRecord as BinanceFrameRecord } from './binance/records';

export { BybitEmulator } from './bybit/emulator';
export type {
  BybitAccountInfo, BybitCredentials, BybitOrderView, BybitSessionView, BybitMessageView, BybitInjectInput, BybitCreateOrderInput, BybitSetOrderStateInput,
} from './bybit/emulator';
export type { BybitOptions } from './bybit/plugin';
export type { FaultRequest as BybitFaultRequest, FaultState as BybitFaultState } from './bybit/faults';
export type { RequestRecord as BybitRequestRecord } from './bybit/records';

/** Starts every registered venue emulator and the control API. */
export function startSandbox(options: SandboxOptions<Emulators> = {}): Promise<Sandbox<Emulators>> {
  return startSandboxWith(EMULATORS, options);
}
