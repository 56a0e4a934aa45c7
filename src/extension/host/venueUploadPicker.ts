// Picks files to send through a venue's own upload API (Bybit, Binance images, MultiWA, Mixin):
// the open dialog, then per file the checks the venue would make (size, type) so the user hears
// about a refused file before anything is queued. Files are read through VS Code's file system API
// (by Uri): in a remote window the picked file may live on the remote, not on this machine.
import { extname, posix } from 'node:path';
import * as vscode from 'vscode';
import type { AttachmentKind } from '../../shared/model';
import type { UploadCapability, UploadSource } from '../venues/venue';
import { LocalCopies } from './localCopies';
import { mimeTypeOf, uploadKindFor } from './uploadFileKind';
import { UserFacingError } from './userFacingError';

export { attachmentKindOf, mimeTypeOf } from './uploadFileKind';

/** Why the venue would refuse this file, or undefined when it fits. */
export function uploadProblem(capability: UploadCapability, file: { name: string; size: number; kind: AttachmentKind }): string | undefined {
  const ext = extname(file.name).slice(1).toLowerCase();
  if (capability.extensions && !capability.extensions.includes(ext)) {
    return vscode.l10n.t('{0}: this venue takes only {1} files.', file.name, capability.extensions.join(', '));
  }
  if (!capability.kinds.includes(file.kind)) {
    return vscode.l10n.t('{0}: this venue cannot send {1} files.', file.name, file.kind);
  }
  if (file.size > capability.maxBytes) {
    return vscode.l10n.t('{0} is {1} MB; this venue takes at most {2} MB.', file.name, (file.size / 1048576).toFixed(1), (capability.maxBytes / 1048576).toFixed(0));
  }
  if (file.size === 0) return vscode.l10n.t('{0} is empty.', file.name);
  return undefined;
}

/** Files to queue, each with a local path the outbox copies from; `release()` once they are queued. */
export interface PickedUploads {
  readonly files: readonly UploadSource[];
  /** Removes the local copies made of files not on this machine's disk (see localCopies.ts). */
  release(): Promise<void>;
}

/** Shows the open dialog; resolves with the files to queue (none when the user closed it). Throws when a file does not fit. */
export async function pickFilesForUpload(capability: UploadCapability): Promise<PickedUploads> {
  const picked = await vscode.window.showOpenDialog({ canSelectMany: true, openLabel: vscode.l10n.t('Send'), title: vscode.l10n.t('Send files') });
  const copies = new LocalCopies();
  const none: PickedUploads = { files: [], release: () => copies.release() };
  if (!picked || picked.length === 0) return none;
  const fitting: { uri: vscode.Uri; file: UploadSource }[] = [];
  const problems: string[] = [];
  for (const uri of picked) {
    const stat = await vscode.workspace.fs.stat(uri);
    // Uri paths use '/' whatever the scheme and the platform.
    const name = posix.basename(uri.path);
    const mimeType = mimeTypeOf(name);
    const file: UploadSource = { path: '', name, mimeType, size: stat.size, kind: uploadKindFor(capability, name) };
    const problem = (stat.type & vscode.FileType.File) !== 0 ? uploadProblem(capability, file) : vscode.l10n.t('{0} is not a file.', name);
    if (problem) problems.push(problem);
    else fitting.push({ uri, file });
  }
  if (problems.length > 0) throw new UserFacingError('upload-refused', problems.join(' '));
  try {
    const files: UploadSource[] = [];
    for (const { uri, file } of fitting) files.push({ ...file, path: await copies.pathOf(uri, file.name) });
    return { files, release: () => copies.release() };
  } catch (err) {
    await copies.release();
    throw err;
  }
}
