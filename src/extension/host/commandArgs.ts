// How a command was invoked: palette commands take their target as an argument object (keybindings,
// scripts, tests), while tree items and title-bar actions pass the tree node they were used on, and
// a chat pane's title-bar actions pass the pane's editor (its resource and editor-group context).
import * as vscode from 'vscode';

/** An argument object from a script, a keybinding or a test; tree items pass their node (it has `kind`). */
export function isScripted(arg: unknown): boolean {
  return typeof arg === 'object' && arg !== null && !('kind' in arg) && !fromEditorTitle([arg]);
}

/**
 * The command was run from an editor's title bar: VS Code passes the editor's resource (a
 * `webview-panel:` URI for a chat pane) and the editor-group context `{groupId, ...}`.
 */
export function fromEditorTitle(args: readonly unknown[]): boolean {
  return args.some((a) => a instanceof vscode.Uri || (typeof a === 'object' && a !== null && typeof (a as { groupId?: unknown }).groupId === 'number'));
}

/** The keybinding for the inbox tree passes `{from: 'selection'}`: act on the selected row, not on the active pane. */
export function fromTreeSelection(arg: unknown): boolean {
  return typeof arg === 'object' && arg !== null && (arg as { from?: unknown }).from === 'selection';
}
