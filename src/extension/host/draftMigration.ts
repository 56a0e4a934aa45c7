// Composer drafts belong to the inbox, which is one per machine, not to the folder a window has
// open: a draft typed in one window must be there when the chat is opened in another. They were
// kept in workspaceState; they are now in globalState, and each workspace's old drafts are moved
// over the first time a window with that workspace runs the inbox (a workspace's state can only
// be read from a window that has it open).
import type * as vscode from 'vscode';

/** The key of a conversation's draft (the same in both mementos, so a moved draft is found). */
export function draftKey(accountId: string, conversationId: string): string {
  return `${DRAFT_PREFIX}${accountId}.${conversationId}`;
}

const DRAFT_PREFIX = 'venueChat.draft.';

/**
 * Moves every draft from `workspace` to `global`; returns how many were moved. A conversation
 * with a draft in both keeps both texts (the global one first) rather than losing either.
 */
export async function moveWorkspaceDrafts(workspace: vscode.Memento, global: vscode.Memento): Promise<number> {
  let moved = 0;
  for (const key of workspace.keys()) {
    if (!key.startsWith(DRAFT_PREFIX)) continue;
    const old = workspace.get<unknown>(key);
    if (typeof old === 'string' && old !== '') {
      const current = global.get<unknown>(key);
      const kept = typeof current === 'string' && current !== '' ? current : '';
      // Written before the old copy is removed: a crash in between leaves a draft twice, never none.
      if (!kept.includes(old)) await global.update(key, kept ? `${kept}\n\n${old}` : old);
      moved++;
    }
    await workspace.update(key, undefined);
  }
  return moved;
}
