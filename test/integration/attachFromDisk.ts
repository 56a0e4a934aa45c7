// Sending a file the way a person does: the file sits in a folder of the workspace, the pane's
// attach button opens VS Code's file quick pick, and the folder then the file are picked.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { driver } from './driver';

/** A minimal one-page PDF. */
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

/** Writes `name` with `bytes` into a fresh workspace folder, picks it from the open pane, runs `check`, then removes the folder. */
export async function attachFromDisk<T>(name: string, bytes: Uint8Array, check: () => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, 'upload-'));
  await writeFile(join(dir, name), bytes);
  try {
    await driver.click({ selector: '.composer__attach', scope: 'webview', timeoutMs: 20000 });
    const row = '.quick-input-widget .quick-input-list .monaco-list-row';
    await driver.click({ selector: row, hasText: basename(dir), scope: 'workbench', timeoutMs: 15000 });
    await driver.click({ selector: row, hasText: name, scope: 'workbench', timeoutMs: 15000 });
    return await check();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
