// The words for a failed download, in the user's language (@vscode/l10n, which the host configures
// with VS Code's bundle; core code does not import vscode).
import * as l10n from '@vscode/l10n';
import { DownloadError } from './downloadError';

function megabytes(bytes: number): string {
  return (bytes / 1048576).toFixed(bytes < 10 * 1048576 ? 1 : 0);
}

/** What the pane and the command's error say when a download fails. */
export function downloadErrorText(err: unknown): string {
  if (!(err instanceof DownloadError)) return l10n.t('The file could not be saved: {0}', err instanceof Error ? err.message : String(err));
  const f = err.failure;
  switch (f.reason) {
    case 'not-found':
      return l10n.t('The file is no longer stored.');
    case 'no-link':
      return l10n.t('The venue sent no download link for this file.');
    case 'link-expired':
      return l10n.t("The venue's link expired {0}; the file can no longer be downloaded.", new Date(f.expiredAt).toLocaleString());
    case 'unsupported-link':
      return l10n.t('The file\'s link is not a web address Venue Chat downloads from.');
    case 'venue':
      return l10n.t('The venue did not give a download link: {0}', f.detail);
    case 'http-status':
      return f.status === 404 || f.status === 410
        ? l10n.t('The file is gone from the server (HTTP {0}).', f.status)
        : f.status === 401 || f.status === 403
          ? l10n.t('The server refused the download (HTTP {0}); the link may have expired.', f.status)
          : l10n.t('The server answered HTTP {0}; nothing was saved.', f.status);
    case 'too-many-redirects':
      return l10n.t('The link redirected more than {0} times; nothing was saved.', f.limit);
    case 'too-large':
      return f.size !== undefined
        ? l10n.t('The file is {0} MB; downloads are limited to {1} MB.', megabytes(f.size), megabytes(f.limit))
        : l10n.t('The file is larger than the {0} MB download limit; nothing was saved.', megabytes(f.limit));
    case 'network':
      return l10n.t('The download failed: {0}', f.detail);
    case 'write-failed':
      return l10n.t('The file could not be written: {0}', f.detail);
    case 'cancelled':
      return l10n.t('The download was cancelled.');
  }
}
