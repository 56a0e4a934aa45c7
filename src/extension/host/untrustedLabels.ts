// Counterparty text on VS Code's own surfaces (docs/architecture.md, Trust boundaries). Plain
// strings there are not all plain: a quick pick's label, description and detail and a status bar
// text draw `$(name)` as an icon, and a notification's message turns `[words](https:…)`,
// `(command:…)` and `(file:…)` into links it opens with commands allowed. A counterparty naming
// itself "$(verified) Bybit" or writing "[Confirm payment](command:…)" must get neither: these
// helpers escape the icon syntax, break the link syntax, and show bidi controls as markers.
import type * as vscode from 'vscode';
import { revealBidiControls } from '../../shared/bidiControls';
import type { Conversation } from '../../shared/model';

/**
 * For surfaces that draw `$(icon)`: each `$(` written `\$(`, which VS Code shows as the literal
 * `$(` (iconLabels.ts `renderLabelWithIcons`), and bidi controls revealed.
 */
export function iconSafeText(text: string): string {
  return revealBidiControls(text).replace(/\$\(/g, '\\$(');
}

/**
 * For a notification's message: `](` becomes `] (`, so no `[words](target)` reads as a link
 * (linkedText.ts `parseLinkedText` wants the two adjacent), and bidi controls revealed. The words
 * stay readable; nothing in them can be clicked.
 */
export function notificationSafeText(text: string): string {
  return revealBidiControls(text).replace(/\]\s*\(/g, '] (');
}

/** A conversation in a quick pick: the counterparty's title and subtitle as words, never icons. */
export function conversationPickItem(c: Conversation, accountLabel: string): vscode.QuickPickItem {
  return {
    label: iconSafeText(c.title),
    description: [c.unread > 0 ? `● ${c.unread}` : '', iconSafeText(accountLabel)].filter(Boolean).join(' · '),
    ...(c.subtitle ? { detail: iconSafeText(c.subtitle) } : {}),
  };
}
