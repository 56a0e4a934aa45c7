// One Venue Chat setting kept current: read once, then re-read whenever VS Code says it changed, so
// a change applies at once without a reload. Hot paths (every MEXC push reads the timezone offset)
// read the cached value instead of asking VS Code's configuration each time; open chat panes hear
// `onDidChange` to rebuild what they derived from it (their CSP, their attach button).
import * as vscode from 'vscode';
import { Settings } from './constants';

type SettingName = Exclude<(typeof Settings)[keyof typeof Settings], typeof Settings.section>;

export class LiveSetting<T> implements vscode.Disposable {
  private current: T;
  private readonly changed = new vscode.EventEmitter<T>();
  /** Fires with the new value when the setting's effective value changed (not on every settings write). */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly name: SettingName,
    /** Reads (and normalises) the value from the Venue Chat section. */
    private readonly read: (config: vscode.WorkspaceConfiguration, name: SettingName) => T,
  ) {
    this.current = this.readNow();
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(`${Settings.section}.${this.name}`)) return;
      const next = this.readNow();
      // A write that leaves the value as it was (the same value at another level) changes nothing downstream.
      if (JSON.stringify(next) === JSON.stringify(this.current)) return;
      this.current = next;
      this.changed.fire(next);
    });
  }

  get value(): T {
    return this.current;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private readNow(): T {
    return this.read(vscode.workspace.getConfiguration(Settings.section), this.name);
  }
}

// Readers for `LiveSetting`: VS Code only warns about a value its schema refuses (a settings.json
// typed by hand), so each reader keeps what the code can use and falls back otherwise.

/** A whole number within [min, max], or undefined (the consumer's default). */
export function integerIn(min: number, max: number): (config: vscode.WorkspaceConfiguration, name: string) => number | undefined {
  return (config, name) => {
    const value = config.get<unknown>(name);
    return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : undefined;
  };
}

/** The strings of a list setting (anything else in it dropped). */
export function stringList(config: vscode.WorkspaceConfiguration, name: string): string[] {
  const value = config.get<unknown>(name);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** A string setting, trimmed ('' when unset or not a string). */
export function trimmedString(config: vscode.WorkspaceConfiguration, name: string): string {
  const value = config.get<unknown>(name);
  return typeof value === 'string' ? value.trim() : '';
}
