// Adding, connecting and removing accounts: the prompts, key verification with a signed call,
// and handing verified adapters to the hub.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { VenueId } from '../../shared/model';
import type { InboxHub } from '../core/inbox/inboxHub';
import { createAdapter, checkEndpoint, venueDescriptor, VENUES } from '../venues/registry';
import { isVenueError, type VenueAdapter } from '../venues/venue';
import { addAccountArgsSchema, type AccountRecord, type AccountRegistry, type AddAccountArgs, type Credentials } from './accounts';
import { Settings } from './constants';
import type { RedactingLog } from './log';
import { planSandboxAccounts, sandboxEndpointsFor, type SandboxInfo } from './sandboxInfo';
import type { SandboxLauncher } from './sandboxLauncher';
import { UserFacingError } from './userFacingError';

export class AccountService {
  constructor(
    private readonly registry: AccountRegistry,
    private readonly hub: InboxHub,
    private readonly log: RedactingLog,
    private readonly sandbox: SandboxLauncher,
  ) {}

  /** Connects every saved account (at activation). Sandbox accounts are re-pointed at the running sandbox. */
  async connectSaved(): Promise<void> {
    const records = this.registry.list();
    let sandboxInfo: SandboxInfo | undefined;
    if (records.some((r) => r.sandbox)) {
      sandboxInfo = await this.sandbox.ensure().catch((err: unknown) => {
        this.log.warn(`sandbox unavailable: ${String(err)}`);
        return undefined;
      });
    }
    await Promise.all(
      records.map(async (record) => {
        const credentials = await this.registry.credentials(record.id);
        if (!credentials) {
          this.log.warn(`account ${record.label} has no keys in SecretStorage; remove and add it again`);
          return;
        }
        const endpoints = record.sandbox && sandboxInfo ? (sandboxEndpointsFor(sandboxInfo, record.venue, record.label) ?? record.endpoints) : record.endpoints;
        if (endpoints !== record.endpoints) await this.registry.add({ ...record, endpoints }, credentials);
        try {
          await this.hub.addAccount({ id: record.id, venue: record.venue, label: record.label }, this.adapterFor(record.id, record.venue, credentials, endpoints));
        } catch (err) {
          this.log.error(`account ${record.label}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }),
    );
  }

  /** "Add Account…": from an argument object (scripts, tests) or by asking. Returns the new account id. */
  async add(arg?: unknown): Promise<string | undefined> {
    const args = arg === undefined ? await this.ask() : this.parseArgs(arg);
    if (!args) return undefined;
    return this.addVerified(args, arg === undefined);
  }

  /** Adds the sandbox's accounts of every venue this version supports; one venue failing does not stop the others. */
  async trySandbox(): Promise<string[]> {
    const info = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Starting the Venue Chat sandbox…') }, () => this.sandbox.ensure());
    if (info.unreadableAccounts > 0) this.log.warn(`sandbox: ${info.unreadableAccounts} account entries were unreadable and are skipped`);
    const plan = planSandboxAccounts(info, (venue) => venueDescriptor(venue).create !== undefined);
    if (plan.skippedVenues.length > 0) this.log.info(`sandbox: not adding ${plan.skippedVenues.join(', ')} accounts (not supported by this version yet)`);
    const added: string[] = [];
    const failures: unknown[] = [];
    for (const account of plan.add) {
      const existing = this.registry.list().find((r) => r.sandbox && r.venue === account.venue && r.label === account.label);
      if (existing) {
        added.push(existing.id);
        continue;
      }
      try {
        const id = await this.addVerified({ venue: account.venue, label: account.label, credentials: account.credentials, endpoints: account.endpoints, sandbox: true }, false);
        if (id) added.push(id);
      } catch (err) {
        this.log.error(`sandbox ${account.venue} account "${account.label}": ${err instanceof Error ? err.message : String(err)}`);
        failures.push(err);
      }
    }
    if (added.length === 0 && failures.length > 0) throw failures[0];
    return added;
  }

  async remove(accountId: string): Promise<void> {
    const record = this.registry.get(accountId);
    if (!record) throw new UserFacingError('not-found', vscode.l10n.t('No such account.'));
    await this.hub.removeAccount(accountId);
    await this.registry.remove(accountId);
    this.log.info(`removed account ${record.label}`);
  }

  private adapterFor(accountId: string, venue: VenueId, credentials: Credentials, endpoints: Readonly<Record<string, string>>): VenueAdapter {
    for (const value of Object.values(credentials)) this.log.redactor.addSecret(value);
    const config = vscode.workspace.getConfiguration(Settings.section);
    return createAdapter(venue, {
      accountId,
      credentials,
      endpoints,
      options: {
        maxSockets: config.get<number>(Settings.maxSockets),
        timezoneOffsetMinutes: config.get<number>(Settings.timezoneOffset),
      },
      logger: this.log,
    });
  }

  private parseArgs(arg: unknown): AddAccountArgs {
    const parsed = addAccountArgsSchema.safeParse(arg);
    if (!parsed.success) throw new UserFacingError('bad-request', vscode.l10n.t('Add Account: invalid arguments: {0}', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')));
    return parsed.data;
  }

  private async addVerified(args: AddAccountArgs, interactive: boolean): Promise<string | undefined> {
    const descriptor = venueDescriptor(args.venue);
    if (!descriptor.create) throw new UserFacingError('unsupported', vscode.l10n.t('{0} is not supported yet.', descriptor.name));
    for (const field of descriptor.credentialFields) {
      if (!args.credentials[field.key]) throw new UserFacingError('bad-request', vscode.l10n.t('Missing {0}.', field.label));
    }
    const endpoints: Record<string, string> = {};
    for (const e of descriptor.endpoints) {
      const value = args.endpoints?.[e.key] ?? e.defaultValue;
      const problem = checkEndpoint(value, args.endpoints?.[e.key] !== undefined);
      if (problem) throw new UserFacingError('bad-request', problem);
      endpoints[e.key] = value;
    }
    const id = randomUUID();
    const adapter = this.adapterFor(id, args.venue, args.credentials, endpoints);
    try {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking the {0} keys…', descriptor.name) }, () => adapter.verify());
    } catch (err) {
      adapter.dispose();
      const reason = err instanceof Error ? err.message : String(err);
      const kind = isVenueError(err) ? err.kind : 'unknown';
      this.log.warn(`adding ${descriptor.name} account "${args.label}" failed (${kind}): ${reason}`);
      const message = vscode.l10n.t('{0} did not accept these keys: {1}', descriptor.name, reason);
      if (interactive) {
        void vscode.window.showErrorMessage(message);
        return undefined;
      }
      throw new UserFacingError(kind === 'auth' ? 'auth' : 'verify-failed', message);
    }
    const record: AccountRecord = { id, venue: args.venue, label: args.label, endpoints, sandbox: args.sandbox, createdAt: Date.now() };
    await this.registry.add(record, args.credentials);
    await this.hub.addAccount({ id, venue: args.venue, label: args.label }, adapter);
    this.log.info(`added ${descriptor.name} account "${args.label}"`);
    if (interactive) void vscode.window.showInformationMessage(vscode.l10n.t('{0} account "{1}" added.', descriptor.name, args.label));
    return id;
  }

  private async ask(): Promise<AddAccountArgs | undefined> {
    const venuePick = await vscode.window.showQuickPick(
      VENUES.map((v) => ({ label: v.name, description: v.create ? undefined : vscode.l10n.t('coming soon'), venue: v })),
      { title: vscode.l10n.t('Add Account: venue'), placeHolder: vscode.l10n.t('Which venue?'), ignoreFocusOut: true },
    );
    if (!venuePick) return undefined;
    const venue = venuePick.venue;
    if (!venue.create) {
      void vscode.window.showInformationMessage(vscode.l10n.t('{0} is not supported yet.', venue.name));
      return undefined;
    }
    const label = await vscode.window.showInputBox({
      title: vscode.l10n.t('Add Account: label'),
      prompt: vscode.l10n.t('A name for this account, e.g. "MEXC main"'),
      value: venue.name,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter a label')),
    });
    if (!label) return undefined;
    const credentials: Record<string, string> = {};
    for (const field of venue.credentialFields) {
      const value = await vscode.window.showInputBox({
        title: vscode.l10n.t('Add Account: {0}', field.label),
        prompt: vscode.l10n.t('Stored only in VS Code SecretStorage.'),
        password: field.secret,
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Required')),
      });
      if (!value) return undefined;
      credentials[field.key] = value.trim();
    }
    const custom = await vscode.window.showQuickPick(
      [
        { label: vscode.l10n.t('Production endpoints'), description: venue.endpoints.map((e) => e.defaultValue).join(' · '), custom: false },
        { label: vscode.l10n.t('Custom endpoints…'), description: vscode.l10n.t('a proxy, a gateway or the sandbox'), custom: true },
      ],
      { title: vscode.l10n.t('Add Account: endpoints'), ignoreFocusOut: true },
    );
    if (!custom) return undefined;
    const endpoints: Record<string, string> = {};
    if (custom.custom) {
      for (const e of venue.endpoints) {
        const value = await vscode.window.showInputBox({
          title: vscode.l10n.t('Add Account: {0}', e.label),
          value: e.defaultValue,
          ignoreFocusOut: true,
          validateInput: (v) => checkEndpoint(v.trim(), true),
        });
        if (!value) return undefined;
        endpoints[e.key] = value.trim();
      }
    }
    return { venue: venue.id, label: label.trim(), credentials, endpoints };
  }
}
