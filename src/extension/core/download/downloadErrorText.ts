// The words for a failed download, in the user's language: the host passes vscode.l10n.t as `t`
// (core code does not import vscode); the default only fills in the {0} placeholders.
import { DownloadError } from './downloadError';

export type Translate = (message: string, ...args: Array<string | number | boolean>) => string;

function fillIn(message: string, ...args: Array<string | number | boolean>): string {
  return message.replace(/\{(\d+)\}/g, (whole, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : whole));
}

function megabytes(bytes: number): string {
  return (bytes / 1048576).toFixed(bytes < 10 * 1048576 ? 1 : 0);
}

/** What the pane and the command's error say when a download fails; `t` is the host's l10n.t. */
export function downloadErrorText(err: unknown, t: Translate = fillIn): string {
  if (!(err instanceof DownloadError)) return t('The file could not be saved: {0}', err instanceof Error ? err.message : String(err));
  const f = err.failure;
  switch (f.reason) {
    case 'not-found':
      return t('The file is no longer stored.');
    case 'no-link':
      return t('The venue sent no download link for this file.');
    case 'link-expired':
      return t("The venue's link expired {0}; the file can no longer be downloaded.", new Date(f.expiredAt).toLocaleString());
    case 'unsupported-link':
      return t('The file\'s link is not a web address Venue Chat downloads from.');
    case 'venue':
      return t('The venue did not give a download link: {0}', f.detail);
    case 'http-status':
      return f.status === 404 || f.status === 410
        ? t('The file is gone from the server (HTTP {0}).', f.status)
        : f.status === 401 || f.status === 403
          ? t('The server refused the download (HTTP {0}); the link may have expired.', f.status)
          : t('The server answered HTTP {0}; nothing was saved.', f.status);
    case 'too-many-redirects':
      return t('The link redirected more than {0} times; nothing was saved.', f.limit);
    case 'too-large':
      return f.size !== undefined
        ? t('The file is {0} MB; downloads are limited to {1} MB.', megabytes(f.size), megabytes(f.limit))
        : t('The file is larger than the {0} MB download limit; nothing was saved.', megabytes(f.limit));
    case 'network':
      return t('The download failed: {0}', f.detail);
    case 'write-failed':
      return t('The file could not be written: {0}', f.detail);
    case 'cancelled':
      return t('The download was cancelled.');
  }
}
