// The Mixin emulator of a fresh sandbox (counterparty quiet unless asked) and its bot's keystore,
// as the adapter reads it: what every Mixin adapter test starts from.
import { startSandbox, type Sandbox } from '../../../../sandbox/index';
import type { MixinEmulator } from '../../../../sandbox/mixin/emulator';
import { parseMixinKeystore, type MixinKeystore } from '../../../../src/extension/venues/mixin/keystore';

export interface SandboxBot {
  readonly sandbox: Sandbox;
  readonly mixin: MixinEmulator;
  readonly keystore: MixinKeystore;
}

/** The keystore of the emulator's bot account, parsed the way an account's credentials are. */
export function botKeystore(mixin: MixinEmulator): MixinKeystore {
  const parsed = parseMixinKeystore(mixin.accounts()[0]!.credentials.keystore);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.keystore;
}

export async function startSandboxBot(options: { counterparty?: boolean } = {}): Promise<SandboxBot> {
  const sandbox = await startSandbox({ counterparty: options.counterparty ?? false });
  const mixin = sandbox.venue('mixin');
  return { sandbox, mixin, keystore: botKeystore(mixin) };
}
