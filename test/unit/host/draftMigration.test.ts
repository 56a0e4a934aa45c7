// Drafts live with the inbox (global state) now; the drafts a workspace kept before are moved once,
// none lost: not when the same chat has a draft in both places, not when the move runs twice.
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { draftKey, moveWorkspaceDrafts } from '../../../src/extension/host/draftMigration';

/** A Memento in memory, as VS Code's global and workspace state behave. */
class MemoryMemento implements vscode.Memento {
  constructor(readonly entries = new Map<string, unknown>()) {}
  keys(): readonly string[] {
    return [...this.entries.keys()];
  }
  get<T>(key: string, fallback?: T): T | undefined {
    return this.entries.has(key) ? (this.entries.get(key) as T) : fallback;
  }
  update(key: string, value: unknown): Thenable<void> {
    if (value === undefined) this.entries.delete(key);
    else this.entries.set(key, value);
    return Promise.resolve();
  }
}

describe('drafts move from the workspace to the inbox', () => {
  it('moves every draft once, leaves other entries alone, and keeps both texts of a chat drafted in both places', async () => {
    const workspace = new MemoryMemento(
      new Map<string, unknown>([
        [draftKey('acc-1', 'c-1'), 'paid, check your bank'],
        [draftKey('acc-1', 'c-2'), 'same text'],
        [draftKey('acc-2', 'c-9'), 'only here'],
        ['venueChat.somethingElse', 42],
      ]),
    );
    const global = new MemoryMemento(
      new Map<string, unknown>([
        [draftKey('acc-1', 'c-1'), 'typed in another window'],
        [draftKey('acc-1', 'c-2'), 'same text'],
        ['venueChat.accounts.v1', []],
      ]),
    );
    assert.equal(await moveWorkspaceDrafts(workspace, global), 3);
    assert.equal(global.get(draftKey('acc-1', 'c-1')), 'typed in another window\n\npaid, check your bank');
    assert.equal(global.get(draftKey('acc-1', 'c-2')), 'same text');
    assert.equal(global.get(draftKey('acc-2', 'c-9')), 'only here');
    assert.deepEqual(global.get('venueChat.accounts.v1'), []);
    assert.deepEqual(workspace.keys(), ['venueChat.somethingElse'], 'no draft is left behind in the workspace');
    const after = new Map(global.entries);
    assert.equal(await moveWorkspaceDrafts(workspace, global), 0, 'the second run has nothing to move');
    assert.deepEqual(global.entries, after);
  });

  it('clears empty drafts from the workspace without writing them', async () => {
    const workspace = new MemoryMemento(new Map<string, unknown>([[draftKey('a', 'c'), '']]));
    const global = new MemoryMemento();
    assert.equal(await moveWorkspaceDrafts(workspace, global), 0);
    assert.deepEqual(workspace.keys(), []);
    assert.deepEqual(global.keys(), []);
  });
});
