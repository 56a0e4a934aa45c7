// What a picked file is sent as, from its name: the MIME type and the attachment kind the venue's
// upload API takes. No 'vscode' here, so the mapping is unit-tested.
import { extname } from 'node:path';
import type { AttachmentKind } from '../../shared/model';
import type { UploadCapability } from '../venues/venue';

const MIME: Readonly<Record<string, string>> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime',
  '.webm': 'video/webm',
  '.ogg': 'audio/ogg',
  '.oga': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
  '.aac': 'audio/aac',
  '.wav': 'audio/wav',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain',
  '.zip': 'application/zip',
};

export function mimeTypeOf(fileName: string): string {
  return MIME[extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}

export function attachmentKindOf(mimeType: string): AttachmentKind {
  if (mimeType.startsWith('image/')) return 'image';
  if (mimeType.startsWith('video/')) return 'video';
  if (mimeType.startsWith('audio/')) return 'audio';
  return 'file';
}

/**
 * The kind a file goes out as: its own (an .mp3 as audio) where the venue's upload takes that kind,
 * else a plain file where it takes files (so it is never sent as a kind the venue refuses).
 */
export function uploadKindFor(capability: UploadCapability, fileName: string): AttachmentKind {
  const kind = attachmentKindOf(mimeTypeOf(fileName));
  return capability.kinds.includes(kind) || !capability.kinds.includes('file') ? kind : 'file';
}
