// Why a download did not produce a file. The host turns each reason into words for the user
// (host/attachmentDownloads.ts); the English message here is for the log and the tests.

export type DownloadFailure =
  /** No stored message under the key, or no attachment at that index. */
  | { readonly reason: 'not-found' }
  /** The attachment carries neither a link nor anything the venue can give one for. */
  | { readonly reason: 'no-link' }
  /** The stored link lapsed and the venue cannot give a fresh one. */
  | { readonly reason: 'link-expired'; readonly expiredAt: number }
  /** The link is not http(s), or a file: link points outside the account's media folder. */
  | { readonly reason: 'unsupported-link' }
  /** The venue could not give a fresh link (its own words in `detail`). */
  | { readonly reason: 'venue'; readonly detail: string }
  | { readonly reason: 'http-status'; readonly status: number }
  | { readonly reason: 'too-many-redirects'; readonly limit: number }
  /** Over the size cap: `size` when the server or the disk said it up front. */
  | { readonly reason: 'too-large'; readonly limit: number; readonly size?: number }
  /** Connection refused, reset, timed out or cut short. */
  | { readonly reason: 'network'; readonly detail: string }
  /** The file could not be written (disk full, no permission, the folder vanished). */
  | { readonly reason: 'write-failed'; readonly detail: string }
  | { readonly reason: 'cancelled' };

export class DownloadError extends Error {
  constructor(readonly failure: DownloadFailure) {
    super(describeFailure(failure));
    this.name = 'DownloadError';
  }

  get reason(): DownloadFailure['reason'] {
    return this.failure.reason;
  }
}

export function isDownloadError(err: unknown): err is DownloadError {
  return err instanceof DownloadError;
}

function describeFailure(f: DownloadFailure): string {
  switch (f.reason) {
    case 'not-found':
      return 'the message or its attachment is not stored';
    case 'no-link':
      return 'the attachment has no download link';
    case 'link-expired':
      return `the venue's link expired ${new Date(f.expiredAt).toISOString()}`;
    case 'unsupported-link':
      return 'the attachment link is not an http(s) address or a file in the media folder';
    case 'venue':
      return `the venue gave no link: ${f.detail}`;
    case 'http-status':
      return `the server answered HTTP ${f.status}`;
    case 'too-many-redirects':
      return `more than ${f.limit} redirects`;
    case 'too-large':
      return `the file is larger than the ${f.limit} byte limit${f.size !== undefined ? ` (${f.size} bytes)` : ''}`;
    case 'network':
      return `the connection failed: ${f.detail}`;
    case 'write-failed':
      return `the file could not be written: ${f.detail}`;
    case 'cancelled':
      return 'the download was cancelled';
  }
}
