// The `content` JSON of message rows, with the field names the gateway writes. Incoming rows are
// built from whatsapp-web.js messages (type `chat` stored as `text`, media inlined as a base64 data
// URL with `hasMedia`, `mediaBytes`, `mimetype`, `filename`; the body repeated as `caption`);
// outgoing rows keep the send DTO's fields (see sendKinds.ts).
import type { MediaFile } from '../util/media';
import type { JsonObject } from './store';

export type InboundKind = 'text' | 'image' | 'video' | 'ptt' | 'document' | 'location' | 'vcard' | 'poll_creation' | 'reaction';
export const INBOUND_KINDS: readonly InboundKind[] = ['text', 'image', 'video', 'ptt', 'document', 'location', 'vcard', 'poll_creation', 'reaction'];

/** An Ogg page header stub: right magic and content type for a voice note, not playable audio. */
function voiceNoteOgg(): Buffer {
  const header = Buffer.alloc(27);
  header.write('OggS', 0, 'ascii');
  header[5] = 0x02; // beginning of stream
  header[26] = 1;
  return Buffer.concat([header, Buffer.from([19]), Buffer.from('OpusHead\u0001\u0001\u0038\u0001\u0080\u00bb\u0000\u0000\u0000\u0000\u0000', 'latin1')]);
}

export const VOICE_NOTE: MediaFile = { contentType: 'audio/ogg; codecs=opus', body: voiceNoteOgg() };

const MEDIA_OF: Readonly<Record<'image' | 'video' | 'document', readonly [library: string, fileName: string | null]>> = {
  image: ['receipt.png', null],
  video: ['clip.mp4', null],
  document: ['invoice.pdf', 'invoice.pdf'],
};

/** Where an inbound file ends up in the row: inline (the gateway's behaviour) or a link the emulator serves. */
export type MediaPlacement = (file: MediaFile, fileName: string | null) => { url: string } | { omitted: true };

export const inlineMedia = (maxBytes: number): MediaPlacement => (file) =>
  file.body.length > maxBytes ? { omitted: true } : { url: `data:${file.contentType};base64,${file.body.toString('base64')}` };

function mediaContent(file: MediaFile, fileName: string | null, caption: string | undefined, place: MediaPlacement): JsonObject {
  const content: JsonObject = {};
  if (caption) content.text = caption;
  content.mimetype = file.contentType;
  if (fileName !== null) content.filename = fileName;
  content.hasMedia = true;
  const placed = place(file, fileName);
  if ('url' in placed) content.url = placed.url;
  else content.mediaOmitted = true;
  content.mediaBytes = file.body.length;
  if (caption) content.caption = caption;
  return content;
}

export interface InboundExtras {
  readonly latitude?: number;
  readonly longitude?: number;
  readonly placeName?: string;
  readonly contactName?: string;
  readonly contactPhone?: string;
  readonly question?: string;
  readonly options?: readonly string[];
  readonly emoji?: string;
  /** WhatsApp id of the message a reaction targets. */
  readonly targetWaId?: string;
}

/** Content of an incoming row of `kind`; `text` is the body (caption for media). */
export function inboundContent(kind: InboundKind, text: string | undefined, library: ReadonlyMap<string, MediaFile>, extras: InboundExtras = {}, place: MediaPlacement = inlineMedia(5 * 1024 * 1024)): JsonObject {
  switch (kind) {
    case 'text':
      return { text: text ?? '' };
    case 'image':
    case 'video':
    case 'document': {
      const [name, fileName] = MEDIA_OF[kind];
      const file = library.get(name);
      if (!file) throw new Error(`no sandbox media ${name}`);
      return mediaContent(file, fileName, text, place);
    }
    case 'ptt':
      return mediaContent(VOICE_NOTE, null, undefined, place);
    case 'location': {
      const label = extras.placeName ?? 'Location';
      return { latitude: extras.latitude ?? -6.2088, longitude: extras.longitude ?? 106.8456, description: label, name: label };
    }
    case 'vcard': {
      const name = extras.contactName ?? 'Cashier Desk';
      const phone = extras.contactPhone ?? '+62 813 1111 0099';
      const vcard = ['BEGIN:VCARD', 'VERSION:3.0', `FN:${name}`, `TEL;type=CELL;type=VOICE;waid=${phone.replace(/\D/g, '')}:${phone}`, 'END:VCARD'].join('\n');
      return { text: vcard, vcard, displayName: name, phone };
    }
    case 'poll_creation': {
      const question = extras.question ?? text ?? 'Which payment method?';
      const options = [...(extras.options ?? ['Bank transfer', 'E-wallet', 'Cash deposit'])];
      return { text: question, question, pollName: question, options, pollOptions: options, allowMultipleAnswers: false };
    }
    case 'reaction':
      return { text: extras.emoji ?? '👍', emoji: extras.emoji ?? '👍', messageId: extras.targetWaId ?? '' };
  }
}
