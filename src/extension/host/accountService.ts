// Adding, re-keying, configuring, connecting and removing accounts: key verification with a signed
// call before anything is saved, and handing verified adapters to the hub. The prompts are in
// accountPrompts.ts; the form rules in venues/accountInput.ts (the same for prompts and arguments).
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { InboxHub } from '../core/inbox/inboxHub';
import { scopedLogger } from '../core/logger';
import { applySettings, checkCredentialValues, resolveEndpoints, resolveSettings, secretValuesOf } from '../venues/accountInput';
import type { AdapterContext, SettingValue, VenueDescriptor } from '../venues/descriptor';
import { venueDescriptor, VENUES, type VenueLoader } from '../venues/registry';
import { isVenueError, type VenueAdapter } from '../venues/venue';
import { askCredentials, askEndpoints, askSettingValue } from './accountPrompts';
import { isScripted } from './commandArgs';
import { accountArgsSchemas, type AccountRecord, type AccountRegistry, type AddAccountArgs, type Credentials } from './accounts';
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
    /** Each venue's adapter code, loaded when the first account of that venue needs it. */
    private readonly venues: VenueLoader,
    /** Per-account folders for files adapters keep (received inline media), `<root>/<account id>`. */
    private readonly mediaRoot?: string,
    /** `venueChat.mexc.timezoneOffsetMinutes` as it is now (adapters ask at each use). */
    private readonly timezoneOffset: () => number | undefined = () => undefined,
  ) {}

  /** Saved accounts (also those not connected, e.g. whose keys are missing). */
  list(): readonly AccountRecord[] {
    return this.registry.list();
  }

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
      records.map(async (saved) => {
        const credentials = await this.registry.credentials(saved.id);
        if (!credentials) {
          this.log.warn(`account ${saved.label} has no keys in SecretStorage; run Update Keys on it, or remove it and add it again`);
          return;
        }
        let record = saved;
        const endpoints = record.sandbox && sandboxInfo ? (sandboxEndpointsFor(sandboxInfo, record.venue, record.label) ?? record.endpoints) : record.endpoints;
        if (endpoints !== record.endpoints) {
          record = { ...record, endpoints };
          await this.registry.saveRecord(record);
        }
        try {
          await this.hub.addAccount(infoOf(record), this.adapterFor(record, credentials));
        } catch (err) {
          this.log.error(`account ${record.label}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }),
    );
  }

  /**
   * "Add Account…": from an argument object (scripts, tests) or by asking (no argument, or a tree
   * node from the inbox's title bar). Keys the venue refuses are asked again, keeping the label and
   * endpoints. Returns the new account id.
   */
  async add(arg?: unknown): Promise<string | undefined> {
    if (isScripted(arg)) {
      const added = await this.addVerified(this.parseArgs(arg), false);
      return added === 'refused' ? undefined : added;
    }
    let args = await this.ask();
    while (args) {
      const added = await this.addVerified(args, true);
      if (added !== 'refused') return added;
      const descriptor = venueDescriptor(args.venue);
      const credentials = await askCredentials(descriptor, (what) => vscode.l10n.t('Add Account: {0} (try again)', what));
      args = credentials ? { ...args, credentials } : undefined;
    }
    return undefined;
  }

  /** Adds the sandbox's accounts of every venue this version supports; one venue failing does not stop the others. */
  async trySandbox(): Promise<string[]> {
    const info = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Starting the Venue Chat sandbox…') }, () => this.sandbox.ensure());
    if (info.unreadableAccounts > 0) this.log.warn(`sandbox: ${info.unreadableAccounts} account entries were unreadable and are skipped`);
    const plan = planSandboxAccounts(info, (venue) => venueDescriptor(venue).supported);
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
        const id = await this.addVerified({ venue: account.venue, label: account.label, credentials: account.credentials, endpoints: account.endpoints, ...(account.settings ? { settings: account.settings } : {}), sandbox: true }, false);
        if (id !== 'refused') added.push(id);
      } catch (err) {
        this.log.error(`sandbox ${account.venue} account "${account.label}": ${err instanceof Error ? err.message : String(err)}`);
        failures.push(err);
      }
    }
    if (added.length === 0 && failures.length > 0) throw failures[0];
    return added;
  }

  /**
   * "Update Keys": new keys for an existing account (asked when `credentials` is absent), verified
   * with the venue's signed call first; then the account's adapter restarts on them. The account id,
   * its stored messages, outbox and state stay. Returns false when the user cancelled or the venue
   * refused the keys in an interactive run.
   */
  async updateKeys(accountId: string, credentials?: Readonly<Record<string, string>>): Promise<boolean> {
    const record = this.registry.get(accountId);
    if (!record) throw new UserFacingError('not-found', vscode.l10n.t('No such account.'));
    const descriptor = venueDescriptor(record.venue);
    if (!descriptor.supported) throw new UserFacingError('unsupported', vscode.l10n.t('{0} is not supported yet.', descriptor.name));
    const interactive = credentials === undefined;
    const given = credentials ?? (await askCredentials(descriptor, (label) => vscode.l10n.t('Update Keys ({0}): {1}', record.label, label)));
    if (!given) return false;
    const checked = this.checkCredentials(descriptor, given);
    const adapter = this.adapterFor(record, checked);
    if (!(await this.verify(descriptor, record.label, adapter, interactive, 'updating keys of'))) return false;
    await this.registry.replaceCredentials(accountId, checked);
    await this.hub.addAccount(infoOf(record), adapter);
    this.log.info(`updated the keys of ${descriptor.name} account "${record.label}"`);
    if (interactive) void vscode.window.showInformationMessage(vscode.l10n.t('The keys of "{0}" were replaced; its messages are kept.', record.label));
    return true;
  }

  /**
   * "Account Settings…": changes per-account settings (asked one at a time when `changes` is
   * absent) and restarts the account's adapter with them. Returns the settings now in force.
   */
  async configure(accountId: string, changes?: Readonly<Record<string, SettingValue>>): Promise<Record<string, SettingValue> | undefined> {
    const record = this.registry.get(accountId);
    if (!record) throw new UserFacingError('not-found', vscode.l10n.t('No such account.'));
    const descriptor = venueDescriptor(record.venue);
    const current = resolveSettings(descriptor, record.settings);
    if (descriptor.settings.length === 0) {
      if (changes === undefined) {
        void vscode.window.showInformationMessage(vscode.l10n.t('{0} accounts have no settings of their own.', descriptor.name));
        return current;
      }
      if (Object.keys(changes).length > 0) throw new UserFacingError('bad-request', vscode.l10n.t('{0} accounts have no settings of their own.', descriptor.name));
      return current;
    }
    const wanted = changes ?? (await this.askSettings(descriptor, record, current));
    if (!wanted) return undefined;
    const applied = applySettings(descriptor, current, wanted);
    if (!applied.ok) throw new UserFacingError('bad-request', applied.problem);
    const updated: AccountRecord = { ...record, settings: applied.value };
    await this.registry.saveRecord(updated);
    // Settings are read when an adapter is built: restart it (keys unchanged, so no verification).
    const credentials = await this.registry.credentials(accountId);
    if (credentials && this.hub.account(accountId)) await this.hub.addAccount(infoOf(updated), this.adapterFor(updated, credentials));
    this.log.info(`changed the settings of ${descriptor.name} account "${record.label}": ${JSON.stringify(wanted)}`);
    return applied.value;
  }

  async remove(accountId: string): Promise<void> {
    const record = this.registry.get(accountId);
    if (!record) throw new UserFacingError('not-found', vscode.l10n.t('No such account.'));
    await this.hub.removeAccount(accountId);
    await this.registry.remove(accountId);
    if (this.mediaRoot) await rm(join(this.mediaRoot, accountId), { recursive: true, force: true }).catch((err: unknown) => this.log.warn(`could not remove the media of ${record.label}: ${String(err)}`));
    this.log.info(`removed account ${record.label}`);
  }

  /** A self-hosted endpoint on plain http beyond this machine: keys and messages cross the network unencrypted. */
  private warnPlainHttp(descriptor: VenueDescriptor, record: AccountRecord): void {
    const exposed = Object.values(record.endpoints).filter((url) => isPlainRemote(url));
    if (exposed.length === 0) return;
    const hosts = exposed.map((u) => new URL(u).host).join(', ');
    this.log.warn(`${descriptor.name} account "${record.label}" uses plain http to ${hosts}: the key and every message travel unencrypted`);
    void vscode.window.showWarningMessage(vscode.l10n.t('"{0}" talks to {1} over plain http: the API key and every message cross the network unencrypted. Use https (or a VPN or SSH tunnel) unless this network is yours.', record.label, hosts));
  }

  /** Builds an adapter; every secret in the keys is registered with the redactor first. */
  private adapterFor(record: Pick<AccountRecord, 'id' | 'venue' | 'label' | 'endpoints' | 'settings'>, credentials: Credentials): VenueAdapter {
    return this.venues.createAdapter(record.venue, this.contextFor(record, credentials));
  }

  private contextFor(record: Pick<AccountRecord, 'id' | 'venue' | 'label' | 'endpoints' | 'settings'>, credentials: Credentials): AdapterContext {
    const descriptor = venueDescriptor(record.venue);
    for (const value of secretValuesOf(descriptor, credentials)) this.log.redactor.addSecret(value);
    return {
      ...(this.mediaRoot ? { mediaDir: join(this.mediaRoot, record.id) } : {}),
      accountId: record.id,
      credentials,
      endpoints: record.endpoints,
      settings: resolveSettings(descriptor, record.settings),
      state: this.registry.stateStore(record.id),
      redactor: this.log.redactor,
      options: {},
      liveOptions: { timezoneOffsetMinutes: this.timezoneOffset },
      // Every line the adapter logs names the account (labels, not ids: the log tells a story).
      logger: scopedLogger(this.log, record.label),
    };
  }

  /**
   * Settings the venue lists once the keys are known (a gateway's WhatsApp profiles): an unset one
   * is taken when there is a single choice, asked for (interactive) or refused with the choices.
   */
  private async discoverSettings(descriptor: VenueDescriptor, record: AccountRecord, credentials: Credentials, interactive: boolean): Promise<AccountRecord | undefined> {
    let settings = resolveSettings(descriptor, record.settings);
    for (const setting of descriptor.settings) {
      if (!setting.discoverable || settings[setting.key] !== '') continue;
      const choices = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reading the {0} choices from {1}…', setting.label, descriptor.name) }, () => this.venues.discoverSetting(record.venue, setting.key, this.contextFor(record, credentials)));
      if (choices.length === 0) throw new UserFacingError('bad-request', vscode.l10n.t('{0} lists no {1} for these keys.', descriptor.name, setting.label));
      let value: SettingValue | undefined = choices.length === 1 ? choices[0]!.value : undefined;
      if (value === undefined && interactive) value = await askSettingValue(setting, '', vscode.l10n.t('Add Account: {0}', setting.label), choices);
      if (value === undefined && interactive) return undefined;
      if (value === undefined) throw new UserFacingError('bad-request', vscode.l10n.t('Name the {0} in settings.{1}: one of {2}', setting.label, setting.key, choices.map((c) => `${c.value} (${c.label})`).join(', ')));
      settings = { ...settings, [setting.key]: value };
    }
    return { ...record, settings };
  }

  private parseArgs(arg: unknown): AddAccountArgs {
    const parsed = accountArgsSchemas().add.safeParse(arg);
    if (!parsed.success) throw new UserFacingError('bad-request', vscode.l10n.t('Add Account: invalid arguments: {0}', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')));
    return parsed.data;
  }

  private checkCredentials(descriptor: VenueDescriptor, given: Readonly<Record<string, string>>): Credentials {
    const checked = checkCredentialValues(descriptor, given);
    if (!checked.ok) {
      // Register what was given before the problem reaches the log (`run` logs command failures).
      for (const value of secretValuesOf(descriptor, given)) this.log.redactor.addSecret(value);
      throw new UserFacingError('bad-request', checked.problem);
    }
    return checked.value;
  }

  /** The venue's signed call; true when it accepted the keys. A refusal is shown (interactive) or thrown. */
  private async verify(descriptor: VenueDescriptor, label: string, adapter: VenueAdapter, interactive: boolean, doing: string): Promise<boolean> {
    try {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking the {0} keys…', descriptor.name) }, () => adapter.verify());
      return true;
    } catch (err) {
      adapter.dispose();
      const reason = this.log.redactor.redact(err instanceof Error ? err.message : String(err));
      const kind = isVenueError(err) ? err.kind : 'unknown';
      this.log.warn(`${doing} ${descriptor.name} account "${label}" failed (${kind}): ${reason}`);
      const message = vscode.l10n.t('{0} did not accept these keys: {1}', descriptor.name, reason);
      if (interactive) {
        void vscode.window.showErrorMessage(message);
        return false;
      }
      throw new UserFacingError(kind === 'auth' ? 'auth' : 'verify-failed', message);
    }
  }

  /** The new account's id, or 'refused' when the venue did not accept the keys (shown, interactive only). */
  private async addVerified(args: AddAccountArgs, interactive: boolean): Promise<string | 'refused'> {
    const descriptor = venueDescriptor(args.venue);
    if (!descriptor.supported) throw new UserFacingError('unsupported', vscode.l10n.t('{0} is not supported yet.', descriptor.name));
    const credentials = this.checkCredentials(descriptor, args.credentials);
    const endpoints = resolveEndpoints(descriptor, { preset: args.preset, endpoints: args.endpoints });
    if (!endpoints.ok) throw new UserFacingError('bad-request', endpoints.problem);
    const settings = applySettings(descriptor, {}, args.settings ?? {});
    if (!settings.ok) throw new UserFacingError('bad-request', settings.problem);
    const draft: AccountRecord = { id: randomUUID(), venue: args.venue, label: args.label, endpoints: endpoints.value, preset: args.preset, settings: settings.value, sandbox: args.sandbox, createdAt: Date.now() };
    const record = await this.discoverSettings(descriptor, draft, credentials, interactive);
    if (!record) return 'refused';
    const adapter = this.adapterFor(record, credentials);
    if (!(await this.verify(descriptor, args.label, adapter, interactive, 'adding'))) return 'refused';
    await this.registry.add(record, credentials);
    this.warnPlainHttp(descriptor, record);
    await this.hub.addAccount(infoOf(record), adapter);
    this.log.info(`added ${descriptor.name} account "${args.label}"`);
    if (interactive) void vscode.window.showInformationMessage(vscode.l10n.t('{0} account "{1}" added.', descriptor.name, args.label));
    return record.id;
  }

  private async ask(): Promise<AddAccountArgs | undefined> {
    const venuePick = await vscode.window.showQuickPick(
      VENUES.map((v) => ({ label: v.name, description: v.supported ? undefined : vscode.l10n.t('coming soon'), venue: v })),
      { title: vscode.l10n.t('Add Account: venue'), placeHolder: vscode.l10n.t('Which venue?'), ignoreFocusOut: true },
    );
    if (!venuePick) return undefined;
    const venue = venuePick.venue;
    if (!venue.supported) {
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
    const title = (what: string) => vscode.l10n.t('Add Account: {0}', what);
    const credentials = await askCredentials(venue, title);
    if (!credentials) return undefined;
    const endpoints = await askEndpoints(venue, title);
    if (!endpoints) return undefined;
    return { venue: venue.id, label: label.trim(), credentials, preset: endpoints.preset, endpoints: endpoints.endpoints };
  }

  private async askSettings(descriptor: VenueDescriptor, record: AccountRecord, current: Readonly<Record<string, SettingValue>>): Promise<Record<string, SettingValue> | undefined> {
    const pick = await vscode.window.showQuickPick(
      descriptor.settings.map((s) => {
        const value = current[s.key];
        return { label: s.label, description: s.options?.find((o) => o.value === value)?.label ?? String(value), detail: s.description, setting: s };
      }),
      { title: vscode.l10n.t('Account Settings: {0}', record.label), ignoreFocusOut: true },
    );
    if (!pick) return undefined;
    const credentials = pick.setting.discoverable ? await this.registry.credentials(record.id) : undefined;
    const choices = pick.setting.discoverable && credentials ? await this.venues.discoverSetting(record.venue, pick.setting.key, this.contextFor(record, credentials)) : undefined;
    const value = await askSettingValue(pick.setting, current[pick.setting.key] ?? pick.setting.default, vscode.l10n.t('{0}: {1}', record.label, pick.setting.label), choices);
    return value === undefined ? undefined : { [pick.setting.key]: value };
  }
}

function infoOf(record: AccountRecord): { id: string; venue: AccountRecord['venue']; label: string } {
  return { id: record.id, venue: record.venue, label: record.label };
}

function isPlainRemote(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'ws:') && !['127.0.0.1', 'localhost', '[::1]', '::1'].includes(u.hostname);
  } catch {
    return false;
  }
}
