// Saving an attachment through the host, for every venue: the pane (`attachment/download`) and the
// `venueChat.downloadAttachment` command name a stored message by key and an attachment by index;
// the link comes from the store or the venue, never from the pane. The user picks where (the save
// dialog, unless a script gave the path), a cancellable notification shows progress and every open
// pane of that conversation gets `download/progress`.
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { formatByteProgress } from '../../shared/byteProgress';
import type { DownloadProgress } from '../../shared/protocol';
import { AttachmentDownloader, type DownloadBytes, type SavedAttachment } from '../core/download/attachmentDownload';
import { isDownloadError } from '../core/download/downloadError';
import { downloadErrorText } from '../core/download/downloadErrorText';
import { defaultFileName } from '../core/download/safeFileName';
import type { InboxHub } from '../core/inbox/inboxHub';
import type { Logger } from '../core/logger';
import { UserFacingError } from './userFacingError';

export interface DownloadEvent extends DownloadProgress {
  readonly accountId: string;
  readonly conversationId: string;
}

export interface DownloadRequest {
  readonly key: string;
  readonly index: number;
  /** Where to save; without it the user is asked. */
  readonly target?: string;
  /** The pane's conversation: a pane saves only its own conversation's files. */
  readonly within?: { readonly accountId: string; readonly conversationId: string };
}

export interface DownloadResult {
  /** False when the user dismissed the dialog or cancelled the download. */
  readonly saved: boolean;
  readonly path?: string;
  readonly bytes?: number;
}

export interface AttachmentDownloadsDeps {
  readonly hub: Pick<InboxHub, 'message' | 'adapter'>;
  readonly logger: Logger;
  /** Where adapters save media, one folder per account (file: links are copied from there only). */
  readonly mediaRoot?: string;
  readonly downloader?: AttachmentDownloader;
}

const SOURCE_WORDS: Record<SavedAttachment['source'], string> = { 'venue-link': "the venue's fresh link", 'stored-link': 'the stored link', 'media-file': 'the media folder' };

export class AttachmentDownloads implements vscode.Disposable {
  private readonly running = new Map<string, AbortController>();
  private readonly progressEmitter = new vscode.EventEmitter<DownloadEvent>();
  readonly onProgress = this.progressEmitter.event;
  private readonly downloader: AttachmentDownloader;
  /** The folder the user last saved into (this session): the next dialog starts there. */
  private lastFolder: string | undefined;

  constructor(private readonly deps: AttachmentDownloadsDeps) {
    this.downloader = deps.downloader ?? new AttachmentDownloader();
  }

  async download(request: DownloadRequest): Promise<DownloadResult> {
    const { key, index, within } = request;
    const message = this.deps.hub.message(key);
    if (!message || (within && (message.accountId !== within.accountId || message.conversationId !== within.conversationId))) {
      throw new UserFacingError('not-found', vscode.l10n.t('That message is not stored in this conversation.'));
    }
    const attachment = message.attachments?.[index];
    if (!attachment) throw new UserFacingError('not-found', vscode.l10n.t('That message has no attachment {0}.', index));
    const id = `${key}\n${index}`;
    if (this.running.has(id)) throw new UserFacingError('busy', vscode.l10n.t('This file is already being downloaded.'));
    const name = defaultFileName(attachment);
    let target = request.target;
    if (target === undefined) {
      const picked = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(join(this.lastFolder ?? (await downloadsFolder()), name)), saveLabel: vscode.l10n.t('Save'), title: vscode.l10n.t('Save Attachment') });
      if (!picked) return { saved: false };
      target = picked.fsPath;
      this.lastFolder = dirname(target);
    }
    if (this.running.has(id)) throw new UserFacingError('busy', vscode.l10n.t('This file is already being downloaded.'));
    const controller = new AbortController();
    this.running.set(id, controller);
    const where = { accountId: message.accountId, conversationId: message.conversationId, key, index };
    let last: DownloadBytes = { received: 0, ...(attachment.size !== undefined ? { total: attachment.size } : {}) };
    const saveTo = target;
    try {
      this.fire({ ...where, ...last, state: 'running' });
      const saved = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Downloading {0}', name), cancellable: true },
        async (progress, token) => {
          const onCancel = token.onCancellationRequested(() => controller.abort());
          let shownPercent = 0;
          try {
            return await this.downloader.download({
              message,
              index,
              target: saveTo,
              signal: controller.signal,
              adapter: this.deps.hub.adapter(message.accountId),
              ...(this.deps.mediaRoot ? { mediaDir: join(this.deps.mediaRoot, message.accountId) } : {}),
              logger: this.deps.logger,
              onProgress: (bytes) => {
                last = bytes;
                const percent = bytes.total ? Math.min(100, (bytes.received / bytes.total) * 100) : shownPercent;
                progress.report({ increment: percent - shownPercent, message: formatByteProgress(bytes.received, bytes.total) });
                shownPercent = percent;
                this.fire({ ...where, ...bytes, state: 'running' });
              },
            });
          } finally {
            onCancel.dispose();
          }
        },
      );
      this.fire({ ...where, received: saved.bytes, total: saved.bytes, state: 'done' });
      this.deps.logger.info(`saved attachment ${index} of message ${key} (${saved.bytes} bytes, from ${SOURCE_WORDS[saved.source]})`);
      return { saved: true, path: saveTo, bytes: saved.bytes };
    } catch (err) {
      if (isDownloadError(err) && err.reason === 'cancelled') {
        this.fire({ ...where, ...last, state: 'cancelled' });
        this.deps.logger.info(`download of attachment ${index} of message ${key} cancelled`);
        return { saved: false };
      }
      const text = downloadErrorText(err);
      this.fire({ ...where, ...last, state: 'failed', message: text });
      this.deps.logger.warn(`download of attachment ${index} of message ${key} failed: ${text} (${err instanceof Error ? err.message : String(err)})`);
      throw new UserFacingError('download-failed', text);
    } finally {
      this.running.delete(id);
    }
  }

  private fire(event: DownloadEvent): void {
    this.progressEmitter.fire(event);
  }

  dispose(): void {
    for (const controller of this.running.values()) controller.abort();
    this.running.clear();
    this.progressEmitter.dispose();
  }
}

/** The user's Downloads folder where there is one, else the home folder. */
async function downloadsFolder(): Promise<string> {
  const home = homedir();
  const downloads = join(home, 'Downloads');
  try {
    if ((await stat(downloads)).isDirectory()) return downloads;
  } catch {
    // no Downloads folder: the home folder
  }
  return home;
}
