// When the pairing panel opens by itself: once per episode (from "needed" to "paired"), so a user
// who closed it is not pestered by every new code, while an open panel follows every code. No
// 'vscode' here, so the rule is unit-tested.
import type { PairingChange } from '../core/inbox/pairingCode';

/**
 * - `open`: show a new panel beside the editor, without taking focus;
 * - `refresh`: the open panel shows the new state;
 * - `paired`: the open panel says "Paired" and closes after a moment;
 * - `close`: the account is gone, so is its panel;
 * - `none`: nothing to show (the user closed this episode's panel, or there is none to update).
 */
export type PairingAction = 'open' | 'refresh' | 'paired' | 'close' | 'none';

export class PairingEpisodes {
  /** Accounts whose current episode already opened a panel by itself. */
  private readonly opened = new Set<string>();

  decide({ accountId, pairing }: PairingChange, panelOpen: boolean): PairingAction {
    if (!pairing) {
      this.opened.delete(accountId);
      return panelOpen ? 'close' : 'none';
    }
    if (pairing.state === 'paired') {
      this.opened.delete(accountId);
      return panelOpen ? 'paired' : 'none';
    }
    if (panelOpen) return 'refresh';
    if (this.opened.has(accountId)) return 'none';
    this.opened.add(accountId);
    return 'open';
  }
}
