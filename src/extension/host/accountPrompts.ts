// The account form as VS Code prompts, driven by the venue's descriptor: one prompt per credential
// field of its kind (password box, plain line, a PEM or keystore picked from a file or pasted, a
// quick pick), the endpoint presets, and one setting at a time. Every value is checked with the
// same rules as an argument object (venues/accountInput.ts) while it is typed.
import * as vscode from 'vscode';
import type { ChoiceOption, FieldDescriptor, SettingDescriptor, SettingValue, VenueDescriptor } from '../venues/descriptor';
import { checkEndpoint, checkFieldValue, checkSettingValue, fieldApplies, normalizeFieldValue, type EndpointInput } from '../venues/accountInput';

/** Largest PEM or keystore file read from disk (they are a few kilobytes). */
const MAX_KEY_FILE_BYTES = 64 * 1024;

/** Asks every applicable credential field in order; undefined when the user cancels. */
export async function askCredentials(venue: VenueDescriptor, title: (label: string) => string): Promise<Record<string, string> | undefined> {
  const values: Record<string, string> = {};
  for (const field of venue.credentialFields) {
    if (!fieldApplies(field, values)) continue;
    const value = await askField(field, title(field.label));
    if (value === undefined) return undefined;
    if (value !== '') values[field.key] = value;
  }
  const problem = venue.checkCredentials?.(values);
  if (problem) {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0}: {1}', venue.name, problem));
    return undefined;
  }
  return values;
}

async function askField(field: FieldDescriptor, title: string): Promise<string | undefined> {
  switch (field.kind) {
    case 'choice': {
      const pick = await vscode.window.showQuickPick(
        (field.options ?? []).map((o) => ({ label: o.label, description: o.description, value: o.value })),
        { title, placeHolder: field.hint, ignoreFocusOut: true },
      );
      return pick?.value;
    }
    case 'pem':
    case 'keystore':
      return askKeyText(field, title);
    case 'secret':
    case 'text':
      return askLine(field, title);
  }
}

function fieldPrompt(field: FieldDescriptor): string {
  const stored = field.secret ? vscode.l10n.t('Stored only in VS Code SecretStorage.') : '';
  return [field.hint, stored].filter(Boolean).join(' ');
}

async function askLine(field: FieldDescriptor, title: string): Promise<string | undefined> {
  const value = await vscode.window.showInputBox({
    title,
    prompt: fieldPrompt(field),
    password: field.secret,
    ignoreFocusOut: true,
    validateInput: (v) => checkFieldValue(field, normalizeFieldValue(field, v)),
  });
  return value === undefined ? undefined : normalizeFieldValue(field, value);
}

/**
 * A PEM or a keystore: picked from a file (the usual case: the venue gave you one) or pasted into a
 * password box. A one-line input box drops the PEM's line breaks; the PEM is rebuilt from its armour.
 */
async function askKeyText(field: FieldDescriptor, title: string): Promise<string | undefined> {
  for (;;) {
    const how = await vscode.window.showQuickPick(
      [
        { label: `$(file) ${field.kind === 'pem' ? vscode.l10n.t('Pick a .pem file…') : vscode.l10n.t('Pick the keystore file…')}`, file: true },
        { label: `$(clippy) ${vscode.l10n.t('Paste it')}`, description: field.kind === 'pem' ? vscode.l10n.t('BEGIN and END lines included') : vscode.l10n.t('the whole JSON'), file: false },
      ],
      { title, placeHolder: fieldPrompt(field), ignoreFocusOut: true },
    );
    if (!how) return undefined;
    if (!how.file) {
      const pasted = await vscode.window.showInputBox({ title, prompt: fieldPrompt(field), password: field.secret, ignoreFocusOut: true, validateInput: (v) => checkFieldValue(field, normalizeFieldValue(field, v)) });
      return pasted === undefined ? undefined : normalizeFieldValue(field, pasted);
    }
    const uris = await vscode.window.showOpenDialog({
      title,
      canSelectMany: false,
      openLabel: vscode.l10n.t('Use This Key'),
      filters: field.kind === 'pem' ? { [vscode.l10n.t('PEM keys')]: ['pem', 'key', 'txt'], [vscode.l10n.t('All files')]: ['*'] } : { [vscode.l10n.t('Keystore')]: ['json'], [vscode.l10n.t('All files')]: ['*'] },
    });
    const uri = uris?.[0];
    if (!uri) continue;
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > MAX_KEY_FILE_BYTES) {
      void vscode.window.showErrorMessage(vscode.l10n.t('{0} is {1} bytes: too large to be a key file.', uri.fsPath, stat.size));
      continue;
    }
    const value = normalizeFieldValue(field, new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
    const problem = checkFieldValue(field, value);
    if (!problem) return value;
    void vscode.window.showErrorMessage(problem);
  }
}

/** Asks which endpoints to use: a preset, or each URL (always, for endpoints with no default). */
export async function askEndpoints(venue: VenueDescriptor, title: (label: string) => string): Promise<EndpointInput | undefined> {
  type Item = vscode.QuickPickItem & { preset?: string; custom?: boolean };
  let preset: string | undefined;
  const needsUrl = venue.endpoints.filter((e) => e.required && !venue.endpointPresets.some((p) => p.endpoints[e.key]));
  if (venue.endpointPresets.length > 0) {
    const items: Item[] = [];
    let group: string | undefined;
    for (const p of venue.endpointPresets) {
      if (p.group !== group && p.group) items.push({ label: p.group, kind: vscode.QuickPickItemKind.Separator });
      group = p.group;
      items.push({ label: p.label, description: Object.values(p.endpoints).join(' · '), preset: p.id });
    }
    items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
    items.push({ label: vscode.l10n.t('Custom endpoints…'), description: vscode.l10n.t('a proxy, a gateway or the sandbox'), custom: true });
    const pick = await vscode.window.showQuickPick(items, { title: title(vscode.l10n.t('endpoints')), ignoreFocusOut: true });
    if (!pick) return undefined;
    if (!pick.custom) {
      if (needsUrl.length === 0) return { preset: pick.preset };
      preset = pick.preset;
    }
  }
  const base = venue.endpointPresets.find((p) => p.id === preset) ?? venue.endpointPresets[0];
  const asked = preset === undefined ? venue.endpoints : needsUrl;
  const endpoints: Record<string, string> = {};
  for (const e of asked) {
    const value = await vscode.window.showInputBox({
      title: title(e.label),
      prompt: e.hint,
      value: base?.endpoints[e.key] ?? '',
      placeHolder: e.required ? vscode.l10n.t('required') : vscode.l10n.t('optional'),
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() === '' ? (e.required ? vscode.l10n.t('Required: {0} has no default for it', venue.name) : undefined) : checkEndpoint(v.trim(), true)),
    });
    if (value === undefined) return undefined;
    if (value.trim()) endpoints[e.key] = value.trim();
  }
  return { preset, endpoints };
}

/** Asks for a new value of one setting; undefined when the user cancels. */
export async function askSettingValue(setting: SettingDescriptor, current: SettingValue, title: string, choices?: readonly ChoiceOption[]): Promise<SettingValue | undefined> {
  if (choices) {
    const pick = await vscode.window.showQuickPick(
      choices.map((o) => ({ label: o.label, description: o.value === current ? vscode.l10n.t('current') : o.description, value: o.value })),
      { title, placeHolder: setting.description, ignoreFocusOut: true },
    );
    return pick?.value;
  }
  switch (setting.kind) {
    case 'choice': {
      const pick = await vscode.window.showQuickPick(
        (setting.options ?? []).map((o) => ({ label: o.label, description: o.value === current ? vscode.l10n.t('current') : o.description, value: o.value })),
        { title, placeHolder: setting.description, ignoreFocusOut: true },
      );
      return pick?.value;
    }
    case 'boolean': {
      const pick = await vscode.window.showQuickPick(
        [
          { label: vscode.l10n.t('On'), value: true },
          { label: vscode.l10n.t('Off'), value: false },
        ].map((i) => ({ ...i, description: i.value === current ? vscode.l10n.t('current') : undefined })),
        { title, placeHolder: setting.description, ignoreFocusOut: true },
      );
      return pick?.value;
    }
    case 'number': {
      const text = await vscode.window.showInputBox({
        title,
        prompt: setting.description,
        value: String(current),
        ignoreFocusOut: true,
        validateInput: (v) => checkSettingValue(setting, v.trim() === '' ? Number.NaN : Number(v)),
      });
      return text === undefined ? undefined : Number(text);
    }
    case 'text': {
      const text = await vscode.window.showInputBox({
        title,
        prompt: setting.description,
        value: String(current),
        ignoreFocusOut: true,
        validateInput: (v) => checkSettingValue(setting, v.trim()),
      });
      return text === undefined ? undefined : text.trim();
    }
  }
}
