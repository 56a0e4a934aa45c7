// Picks files to send through a venue's own upload API (Bybit, Binance images, MultiWA, Mixin):
// the open dialog, then per file the checks the venue would make (size, type) so the user hears
// about a refused file before anything is queued.
import { promises as fs } from 'node:fs';
import { basename, extname } from 'node:path';
import * as vscode from 'vscode';
import type { AttachmentKind } from '../../shared/model';
import type { UploadCapability, UploadSource } from '../venues/venue';
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

/** Shows the open dialog; resolves with the files to queue ([] when the user closed it). Throws when a file does not fit. */
export async function pickFilesForUpload(capability: UploadCapability): Promise<UploadSource[]> {
  const picked = await vscode.window.showOpenDialog({ canSelectMany: true, openLabel: vscode.l10n.t('Send'), title: vscode.l10n.t('Send files') });
  if (!picked || picked.length === 0) return [];
  const files: UploadSource[] = [];
  const problems: string[] = [];
  for (const uri of picked) {
    const stat = await fs.stat(uri.fsPath);
    const name = basename(uri.fsPath);
    const mimeType = mimeTypeOf(name);
    const file: UploadSource = { path: uri.fsPath, name, mimeType, size: stat.size, kind: uploadKindFor(capability, name) };
    const problem = stat.isFile() ? uploadProblem(capability, file) : vscode.l10n.t('{0} is not a file.', name);
    if (problem) problems.push(problem);
    else files.push(file);
  }
  if (problems.length > 0) throw new UserFacingError('upload-refused', problems.join(' '));
  return files;
}
