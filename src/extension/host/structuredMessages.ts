// Locations, contacts and stickers the user sends: the checks shared by the input boxes and the
// scripted commands (venueChat.sendLocation / sendContact / sendSticker), and the message each becomes. No 'vscode' here,
// so the rules are unit-tested. The schemas are built (and zod loaded) on first use.
import type * as Z from 'zod';
import { lazy, zod } from '../../shared/lazyZod';
import type { MessagePayload } from '../../shared/model';

export const MAX_PLACE_NAME = 200;
export const MAX_ADDRESS = 500;
export const MAX_CONTACT_NAME = 200;

/** `+`, digits, spaces and dashes; 7 to 15 digits (E.164 has at most 15). */
const PHONE_SHAPE = /^\+?[0-9][0-9 -]*$/;

/** Why `text` is not a phone number, or undefined when it is one. */
export function phoneProblem(text: string): string | undefined {
  const trimmed = text.trim();
  if (!PHONE_SHAPE.test(trimmed)) return 'Use digits, with an optional leading +, spaces or dashes.';
  const digits = trimmed.replace(/[^0-9]/g, '').length;
  if (digits < 7 || digits > 15) return `A phone number has 7 to 15 digits (this one has ${digits}).`;
  return undefined;
}

/** Why `text` is not a latitude (-90..90) or longitude (-180..180), or undefined. */
export function coordinateProblem(text: string, axis: 'latitude' | 'longitude'): string | undefined {
  const trimmed = text.trim();
  // Decimal degrees only: "48.8566", "-2.35"; no exponents, no degree signs (they would be misread).
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(trimmed)) return 'Enter decimal degrees, e.g. 48.8566 or -2.3522.';
  const limit = axis === 'latitude' ? 90 : 180;
  const value = Number(trimmed);
  if (!Number.isFinite(value) || Math.abs(value) > limit) return `The ${axis} must be between -${limit} and ${limit}.`;
  return undefined;
}

/** A venue user as a contact card (Mixin shares its own users, by their UUID, not phone numbers). */
export const VENUE_USER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The checks of the fields and of the scripted commands' arguments; built on first use. */
export const structuredSchemas = lazy(() => {
  const z = zod();
  const optionalText = (max: number) =>
    z
      .string()
      .max(max)
      .transform((s) => s.trim())
      .optional()
      .transform((s) => (s === '' ? undefined : s));

  const locationFields = z.object({
    latitude: z.number().finite().min(-90).max(90),
    longitude: z.number().finite().min(-180).max(180),
    name: optionalText(MAX_PLACE_NAME),
    address: optionalText(MAX_ADDRESS),
  });

  const contactFields = z.object({
    name: z
      .string()
      .max(MAX_CONTACT_NAME)
      .transform((s) => s.trim())
      .refine((s) => s.length > 0, 'the name is empty'),
    phone: z
      .string()
      .max(40)
      .refine((s) => phoneProblem(s) === undefined, { message: 'not a phone number (7-15 digits; +, spaces and dashes allowed)' })
      .transform((s) => s.trim().replace(/\s+/g, ' ')),
    email: z
      .string()
      .max(254)
      .transform((s) => s.trim())
      .optional()
      .transform((s) => (s === '' ? undefined : s))
      .refine((s) => s === undefined || z.email().safeParse(s).success, 'not an e-mail address'),
  });

  const venueUserContact = z.object({
    userId: z
      .string()
      .transform((s) => s.trim().toLowerCase())
      .refine((s) => VENUE_USER_ID.test(s), 'a user id is a UUID (the number shown in the app is not the id)'),
  });

  const stickerRef = z.string().trim().min(1).max(128).regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits, - _ . : only');
  /** A sticker by its id, or by its name within an album (both forms are Mixin's). */
  const stickerFields = z
    .object({ stickerId: stickerRef.optional(), name: z.string().trim().min(1).max(MAX_CONTACT_NAME).optional(), albumId: stickerRef.optional() })
    .refine((f) => f.stickerId !== undefined || (f.name !== undefined && f.albumId !== undefined), 'give a stickerId, or a name and an albumId');

  const target = {
    accountId: z.string().min(1),
    conversationId: z.string().min(1),
    clientMessageId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/).optional(),
    /** Key of the stored message this one answers (a quoted reply). */
    replyTo: z.string().min(1).max(1024).optional(),
  };

  /** `venueChat.sendLocation` arguments. */
  const sendLocationArgs = locationFields.extend(target).strict();
  /** `venueChat.sendContact` arguments: a phone contact, or a venue user by id. */
  const sendContactArgs = z.union([contactFields.extend(target).strict(), venueUserContact.extend(target).strict()]);
  /** `venueChat.sendSticker` arguments. */
  const sendStickerArgs = z
    .object({ stickerId: stickerRef.optional(), name: z.string().trim().min(1).max(MAX_CONTACT_NAME).optional(), albumId: stickerRef.optional(), ...target })
    .strict()
    .refine((f) => f.stickerId !== undefined || (f.name !== undefined && f.albumId !== undefined), 'give a stickerId, or a name and an albumId');

  return { locationFields, contactFields, venueUserContact, stickerFields, sendLocationArgs, sendContactArgs, sendStickerArgs };
});

type Schemas = ReturnType<typeof structuredSchemas>;
export type LocationFields = Z.output<Schemas['locationFields']>;
export type ContactFields = Z.output<Schemas['contactFields']>;
export type VenueUserContactFields = Z.output<Schemas['venueUserContact']>;
export type StickerFields = Z.output<Schemas['stickerFields']>;

export interface StructuredMessage {
  readonly kind: 'location' | 'contact' | 'sticker';
  readonly text: string;
  readonly payload: MessagePayload;
}

export function locationMessage(fields: LocationFields): StructuredMessage {
  return {
    kind: 'location',
    text: '',
    payload: { type: 'location', latitude: fields.latitude, longitude: fields.longitude, ...(fields.name ? { name: fields.name } : {}), ...(fields.address ? { address: fields.address } : {}) },
  };
}

export function contactMessage(fields: ContactFields | VenueUserContactFields): StructuredMessage {
  if ('userId' in fields) return { kind: 'contact', text: '', payload: { type: 'contact', contacts: [{ userId: fields.userId }] } };
  return {
    kind: 'contact',
    text: '',
    payload: { type: 'contact', contacts: [{ name: fields.name, phone: fields.phone, ...(fields.email ? { email: fields.email } : {}) }] },
  };
}

export function stickerMessage(fields: StickerFields & { readonly url?: string }): StructuredMessage {
  return {
    kind: 'sticker',
    text: '',
    payload: {
      type: 'sticker',
      ...(fields.stickerId ? { stickerId: fields.stickerId } : {}),
      ...(fields.name ? { name: fields.name } : {}),
      ...(fields.albumId ? { albumId: fields.albumId } : {}),
      ...(fields.url ? { url: fields.url } : {}),
    },
  };
}
