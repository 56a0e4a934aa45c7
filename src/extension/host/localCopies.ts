// Local copies of files the user picked that are not on this machine's disk. In a remote window
// (SSH, WSL, a container) the extension runs on the user's machine, and the open dialog may offer
// the remote's files: a `vscode-remote:` Uri, read through VS Code's file system API. The outbox
// copies a file by its local path (core has no VS Code API), so such a file is copied into a
// temporary folder here first and the folder removed once the outbox has made its own copy.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';

export class LocalCopies {
  private dir: Promise<string> | undefined;
  private count = 0;

  /** A local path with `uri`'s bytes: the file's own path when it is on this disk, otherwise a copy. */
  async pathOf(uri: vscode.Uri, name: string): Promise<string> {
    if (uri.scheme === 'file') return uri.fsPath;
    this.dir ??= mkdtemp(join(tmpdir(), 'venue-chat-pick-'));
    // The index keeps two picked files of the same name apart; the name stays for the log.
    const path = join(await this.dir, `${this.count++}-${name.replace(/[^A-Za-z0-9._-]+/g, '_')}`);
    await writeFile(path, await vscode.workspace.fs.readFile(uri));
    return path;
  }

  /** Removes the copies (the outbox holds its own by now, or the send was refused). */
  async release(): Promise<void> {
    const dir = this.dir;
    this.dir = undefined;
    if (dir) await rm(await dir, { recursive: true, force: true });
  }
}
