// What the simulated Mixin users send: one payload per category, in Mixin's shapes (media as
// attachments with real bytes the emulator serves), and the order of the showcase that walks
// through every category over time.
import { buildMediaLibrary, type MediaFile } from '../util/media';
import { silentOggOpus } from '../util/oggOpus';

/** The categories the simulated users send; the last one is a category no client knows. */
export const USER_CATEGORIES = [
  'PLAIN_TEXT', 'PLAIN_POST', 'PLAIN_IMAGE', 'PLAIN_DATA', 'PLAIN_STICKER', 'PLAIN_CONTACT', 'PLAIN_LOCATION', 'PLAIN_LIVE',
  'PLAIN_AUDIO', 'PLAIN_VIDEO', 'APP_CARD', 'APP_BUTTON_GROUP', 'MESSAGE_RECALL', 'PLAIN_HOLOGRAM',
] as const;
export type UserCategory = (typeof USER_CATEGORIES)[number];

/** Files users attach, plus public assets (sticker, live thumbnail, card cover). */
export function mixinMedia(): ReadonlyMap<string, MediaFile> {
  const library = buildMediaLibrary();
  return new Map<string, MediaFile>([...library, ['voice.ogg', { contentType: 'audio/ogg', body: silentOggOpus(3) }]]);
}

export const STICKER_ID = '5a0f1e3c-7d2b-4c8e-9f61-2b3c4d5e6f70';
export const STICKER_ALBUM_ID = '6b1f2e4d-8e3c-4d9f-8a72-3c4d5e6f7081';
export const CARD_APP_ID = '7c2a3f5e-9f4d-4eaf-9b83-4d5e6f708192';

export interface ContentPorts {
  /** Stores a file as a new uploaded attachment; answers its id. */
  attach(file: MediaFile): string;
  /** A public URL the emulator serves for a library file. */
  publicUrl(name: string): string;
  file(name: string): MediaFile;
  /** The most recent message this user sent in the conversation (for a recall). */
  lastOwnMessageId(): string | undefined;
  /** Another user's id (for a contact card). */
  otherUserId(): string;
}

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), 'utf8');

/** The payload bytes of one category; `text` overrides the words of text and post messages. */
export function userPayload(category: string, ports: ContentPorts, text?: string): Buffer {
  switch (category) {
    case 'PLAIN_TEXT':
      return Buffer.from(text ?? 'Hi! I sent the payment, please check.', 'utf8');
    case 'PLAIN_POST':
      return Buffer.from(text ?? '# Payment details\n\n- **Amount:** 150.00 USDT\n- *Reference:* `P2P-4411`\n\n[Terms](https://mixin.one/pages/terms)\n\n<b>raw html stays text</b>', 'utf8');
    case 'PLAIN_IMAGE': {
      const image = ports.file('receipt.png');
      return json({ attachment_id: ports.attach(image), mime_type: 'image/png', width: 240, height: 360, size: image.body.length, thumbnail: ports.file('receipt_thumb.png').body.toString('base64') });
    }
    case 'PLAIN_DATA': {
      const pdf = ports.file('invoice.pdf');
      return json({ attachment_id: ports.attach(pdf), mime_type: 'application/pdf', size: pdf.body.length, name: 'invoice-4411.pdf' });
    }
    case 'PLAIN_STICKER':
      return json({ sticker_id: STICKER_ID, name: 'thumbs-up', album_id: STICKER_ALBUM_ID });
    case 'PLAIN_CONTACT':
      return json({ user_id: ports.otherUserId() });
    case 'PLAIN_LOCATION':
      return json({ latitude: 25.2048, longitude: 55.2708, name: 'Dubai Mall', address: 'Financial Center Rd, Dubai' });
    case 'PLAIN_LIVE':
      return json({ width: 640, height: 360, thumb_url: ports.publicUrl('receipt_thumb.png'), url: ports.publicUrl('clip.mp4'), shareable: true });
    case 'PLAIN_AUDIO': {
      const voice = ports.file('voice.ogg');
      const waveform = Buffer.from(Array.from({ length: 63 }, (_, i) => Math.round(Math.abs(Math.sin(i / 5)) * 31))).toString('base64');
      return json({ attachment_id: ports.attach(voice), mime_type: 'audio/ogg', size: voice.body.length, duration: 3000, waveform });
    }
    case 'PLAIN_VIDEO': {
      const clip = ports.file('clip.mp4');
      return json({
        attachment_id: ports.attach(clip), mime_type: 'video/mp4', width: 640, height: 360, size: clip.body.length, duration: 4000,
        thumbnail: ports.file('receipt_thumb.png').body.toString('base64'),
      });
    }
    case 'APP_CARD':
      return json({
        app_id: CARD_APP_ID, icon_url: ports.publicUrl('receipt_thumb.png'), cover_url: ports.publicUrl('receipt.png'), title: 'Order #4411 <script>',
        description: 'Tap to open the order. "quotes" & <tags> stay text.', action: 'https://mixin.one/apps', shareable: true,
        actions: [{ label: 'Open order', color: '#1E88E5', action: 'https://mixin.one/apps/4411' }],
      });
    case 'APP_BUTTON_GROUP':
      return json([
        { label: 'Confirm paid', color: '#2E7D32', action: 'https://mixin.one/confirm' },
        { label: 'Cancel', color: '#C62828', action: 'input:cancel' },
      ]);
    case 'MESSAGE_RECALL':
      return json({ message_id: ports.lastOwnMessageId() ?? '00000000-0000-4000-8000-000000000000' });
    default:
      return json({ note: 'a category this client does not know', version: 2 });
  }
}
