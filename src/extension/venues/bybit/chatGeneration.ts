// Which of Bybit's two chat APIs an account uses (docs/venue-protocols.md, Bybit: chat API
// generations). The account setting `chatMode` forces one, or `auto` starts with the order-scoped
// API and moves to the session API the first time Bybit answers 912200387 ("chat open api close"),
// remembering that in the account's state so a reload does not ask again.
import type { AccountStateStore } from '../descriptor';

export type ChatGenerationId = 'order' | 'session';
export type ChatMode = 'auto' | ChatGenerationId;

const STATE_KEY = 'bybit.chatGeneration';

export class ChatGeneration {
  private current: ChatGenerationId;

  constructor(
    private readonly mode: ChatMode,
    private readonly state: AccountStateStore | undefined,
  ) {
    const remembered = state?.get(STATE_KEY);
    this.current = mode !== 'auto' ? mode : remembered === 'session' ? 'session' : 'order';
  }

  get id(): ChatGenerationId {
    return this.current;
  }

  /** Whether the order-scoped API may be given up for the session one (only in `auto`). */
  get canSwitch(): boolean {
    return this.mode === 'auto' && this.current === 'order';
  }

  /** Bybit closed the order-scoped API: use sessions from now on. False when the mode forbids it. */
  async switchToSession(): Promise<boolean> {
    if (!this.canSwitch) return false;
    this.current = 'session';
    await this.state?.set(STATE_KEY, 'session');
    return true;
  }
}

export function chatModeOf(value: unknown): ChatMode {
  return value === 'order' || value === 'session' ? value : 'auto';
}
