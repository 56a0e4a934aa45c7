// The start of every venue suite: the extension under test activated (its test API) and a fresh
// sandbox with every venue emulator.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { VenueChatApi } from '../../src/extension/extension';
import { EXTENSION_ID, startSandbox } from './sandbox';

export async function activateWithSandbox(extraArgs: readonly string[] = []): Promise<{ api: VenueChatApi; root: string; sandbox: Awaited<ReturnType<typeof startSandbox>> }> {
  const extension = vscode.extensions.getExtension<VenueChatApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  const api = await extension.activate();
  const root = extension.extensionUri.fsPath;
  return { api, root, sandbox: await startSandbox(root, extraArgs) };
}
