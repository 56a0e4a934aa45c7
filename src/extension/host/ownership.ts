// Which window runs the inbox (see core/ownership/ownerLock.ts). The owner runs everything; the others stand
// by, take over by themselves when the owner goes away, or right away when the user asks (a
// code-server browser tab that was reloaded leaves its old extension host alive for a while).
import * as vscode from 'vscode';
import type { Logger } from '../core/logger';
import { OwnerLock } from '../core/ownership/ownerLock';
import type { VenueChatApi } from '../extension';
import type { forwardingApi } from './standby';
import { Standby } from './standby';

export type StartInbox = (subscriptions: vscode.Disposable[]) => Promise<VenueChatApi>;

/** Longer than one owner heartbeat, so the previous owner has stopped writing before we start. */
const HANDOVER_MS = 6000;

export class InboxOwnership implements vscode.Disposable {
  private running: vscode.Disposable[] = [];
  private standby: Standby | undefined;
  private lock: OwnerLock | undefined;
  private disposed = false;

  constructor(
    private readonly lockFile: string,
    private readonly log: Logger,
    private readonly start: StartInbox,
    private readonly forwarding: ReturnType<typeof forwardingApi>,
  ) {}

  /** Runs the inbox if this window can own it, else stands by. */
  async begin(): Promise<void> {
    const lock = await OwnerLock.tryAcquire(this.lockFile);
    if (lock) await this.run(lock);
    else this.standBy();
  }

  private async run(lock: OwnerLock): Promise<void> {
    this.standby?.dispose();
    this.standby = undefined;
    this.lock = lock;
    const subscriptions: vscode.Disposable[] = [];
    this.running = subscriptions;
    lock.onLost(() => this.yieldToOtherWindow());
    this.forwarding.current = await this.start(subscriptions);
  }

  private yieldToOtherWindow(): void {
    if (this.disposed) return;
    this.log.info('another window took over the Venue Chat inbox; this window stands by');
    this.stopRunning();
    this.standBy();
    void vscode.window.showInformationMessage(vscode.l10n.t('Venue Chat moved to another VS Code window.'));
  }

  private stopRunning(): void {
    this.forwarding.current = undefined;
    for (const d of this.running.splice(0).reverse()) {
      try {
        d.dispose();
      } catch (err) {
        this.log.warn(`dispose failed: ${String(err)}`);
      }
    }
    this.lock?.dispose();
    this.lock = undefined;
  }

  private standBy(): void {
    if (this.disposed) return;
    this.standby = new Standby(this.lockFile, this.log, {
      acquired: (lock) => this.run(lock),
      takeOver: async () => {
        const lock = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Moving Venue Chat to this window…') }, async () => {
          const taken = await OwnerLock.takeOver(this.lockFile);
          await new Promise((r) => setTimeout(r, HANDOVER_MS));
          return taken;
        });
        await this.run(lock);
      },
    });
  }

  dispose(): void {
    this.disposed = true;
    this.standby?.dispose();
    this.stopRunning();
  }
}
