// Host-side file picking and upload. MEXC takes media only as links (docs/venue-protocols.md), so a
// file is sent by uploading it to a target the user configured (any HTTP PUT endpoint: WebDAV, a
// bucket with a write policy, the sandbox) and sending the resulting public link. Nothing pretends
// to upload.
import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import * as vscode from 'vscode';
import type { PickedAttachment } from '../../shared/protocol';
import { lazyAxios } from '../core/lazyAxios';
import type { Logger } from '../core/logger';
import { Settings } from './constants';
import { integerIn, trimmedString } from './liveSetting';
import { UserFacingError } from './userFacingError';
import { mimeTypeOf } from './venueUploadPicker';


export class MediaUploader {
  constructor(private readonly logger: Logger) {}

  private config(): { putUrl: string; publicUrl: string; maxBytes: number } {
    // Read at each use, so a changed setting applies to the next file.
    const c = vscode.workspace.getConfiguration(Settings.section);
    const putUrl = trimmedString(c, Settings.uploadPutUrl);
    return { putUrl, publicUrl: trimmedString(c, Settings.uploadPublicUrl) || putUrl, maxBytes: (integerIn(1, 200)(c, Settings.uploadMaxMegabytes) ?? 25) * 1024 * 1024 };
  }

  get configured(): boolean {
    return this.config().putUrl.length > 0;
  }

  async pickAndUpload(_accountId: string): Promise<PickedAttachment | undefined> {
    const { putUrl, publicUrl, maxBytes } = this.config();
    if (!putUrl) {
      throw new UserFacingError(
        'unsupported',
        vscode.l10n.t('This venue takes media as a link. Paste a link with "Send media link…", or set "venueChat.mediaUpload.putUrl" to an upload target you control.'),
      );
    }
    const picked = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: vscode.l10n.t('Send'), title: vscode.l10n.t('Send a file') });
    const file = picked?.[0];
    if (!file) return undefined;
    // Read by Uri through VS Code: in a remote window the file may be on the remote, not on this disk.
    const name = posix.basename(file.path);
    const stat = await vscode.workspace.fs.stat(file);
    if (stat.size > maxBytes) {
      throw new UserFacingError('too-large', vscode.l10n.t('{0} is {1} MB; the limit is {2} MB.', name, (stat.size / 1048576).toFixed(1), maxBytes / 1048576));
    }
    const contentType = mimeTypeOf(name);
    // A random prefix keeps names unguessable and unique; the rest stays readable for the counterparty.
    const safeName = `${randomBytes(8).toString('hex')}-${name.replace(/[^A-Za-z0-9._-]+/g, '_')}`;
    const target = putUrl.replace('{name}', encodeURIComponent(safeName));
    const url = publicUrl.replace('{name}', encodeURIComponent(safeName));
    const read = await vscode.workspace.fs.readFile(file);
    // A Buffer over exactly these bytes: axios sends a plain Uint8Array's whole underlying
    // ArrayBuffer, which in the extension host may be a larger pool.
    const bytes = Buffer.from(read.buffer, read.byteOffset, read.byteLength);
    try {
      const res = await lazyAxios().put(target, bytes, { headers: { 'Content-Type': contentType }, timeout: 60_000, maxBodyLength: maxBytes, validateStatus: () => true, proxy: false });
      if (res.status < 200 || res.status >= 300) throw new UserFacingError('upload-failed', vscode.l10n.t('Upload failed: HTTP {0}', res.status));
    } catch (err) {
      if (err instanceof UserFacingError) throw err;
      throw new UserFacingError('upload-failed', vscode.l10n.t('Upload failed: {0}', err instanceof Error ? err.message : String(err)));
    }
    this.logger.info(`uploaded ${safeName} (${stat.size} bytes)`);
    const kind = contentType.startsWith('image/') ? 'image' : contentType.startsWith('video/') ? 'video' : 'file';
    return { kind, url, name, size: stat.size };
  }
}
