// Asks the user for a location, a contact or a sticker with input boxes and pick lists (the pane
// never supplies their content), then queues the message. Checks live in structuredMessages.ts.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { ChatMessage } from '../../shared/model';
import type { InboxHub } from '../core/inbox/inboxHub';
import type { StickerChoice, VenueAdapter } from '../venues/venue';
import {
  coordinateProblem,
  MAX_ADDRESS,
  MAX_CONTACT_NAME,
  MAX_PLACE_NAME,
  phoneProblem,
  VENUE_USER_ID,
  type ContactFields,
  type LocationFields,
  type StickerFields,
  type StructuredMessage,
  type VenueUserContactFields,
  contactMessage,
  locationMessage,
  stickerMessage,
  structuredSchemas,
} from './structuredMessages';
import { UserFacingError } from './userFacingError';
import { iconSafeText } from './untrustedLabels';

/** Undefined when the user pressed Escape on any box (optional boxes may be left empty). */
export async function askLocation(conversationTitle: string): Promise<LocationFields | undefined> {
  const title = vscode.l10n.t('Send Location: {0}', conversationTitle);
  const latitude = await vscode.window.showInputBox({ title, prompt: vscode.l10n.t('Latitude (decimal degrees, -90 to 90)'), placeHolder: '48.8566', ignoreFocusOut: true, validateInput: (v) => coordinateProblem(v, 'latitude') });
  if (latitude === undefined) return undefined;
  const longitude = await vscode.window.showInputBox({ title, prompt: vscode.l10n.t('Longitude (decimal degrees, -180 to 180)'), placeHolder: '2.3522', ignoreFocusOut: true, validateInput: (v) => coordinateProblem(v, 'longitude') });
  if (longitude === undefined) return undefined;
  const name = await vscode.window.showInputBox({ title, prompt: vscode.l10n.t('Name of the place (optional)'), ignoreFocusOut: true, validateInput: (v) => (v.length > MAX_PLACE_NAME ? vscode.l10n.t('At most {0} characters.', MAX_PLACE_NAME) : undefined) });
  if (name === undefined) return undefined;
  const address = await vscode.window.showInputBox({ title, prompt: vscode.l10n.t('Address (optional)'), ignoreFocusOut: true, validateInput: (v) => (v.length > MAX_ADDRESS ? vscode.l10n.t('At most {0} characters.', MAX_ADDRESS) : undefined) });
  if (address === undefined) return undefined;
  const parsed = structuredSchemas().locationFields.safeParse({ latitude: Number(latitude.trim()), longitude: Number(longitude.trim()), name, address });
  if (!parsed.success) throw new UserFacingError('bad-request', vscode.l10n.t('That location is not valid: {0}', parsed.error.issues.map((i) => i.message).join('; ')));
  return parsed.data;
}

export async function askContact(conversationTitle: string): Promise<ContactFields | undefined> {
  const title = vscode.l10n.t('Send Contact: {0}', conversationTitle);
  const name = await vscode.window.showInputBox({ title, prompt: vscode.l10n.t('Contact name'), ignoreFocusOut: true, validateInput: (v) => (v.trim() === '' ? vscode.l10n.t('Enter a name.') : v.length > MAX_CONTACT_NAME ? vscode.l10n.t('At most {0} characters.', MAX_CONTACT_NAME) : undefined) });
  if (name === undefined) return undefined;
  const phone = await vscode.window.showInputBox({ title, prompt: vscode.l10n.t('Phone number (7 to 15 digits; +, spaces and dashes allowed)'), placeHolder: '+44 20 7946 0958', ignoreFocusOut: true, validateInput: (v) => phoneProblem(v) });
  if (phone === undefined) return undefined;
  const email = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('E-mail (optional)'),
    ignoreFocusOut: true,
    validateInput: (v) => (structuredSchemas().contactFields.shape.email.safeParse(v).success ? undefined : vscode.l10n.t('Not an e-mail address.')),
  });
  if (email === undefined) return undefined;
  const parsed = structuredSchemas().contactFields.safeParse({ name, phone, email });
  if (!parsed.success) throw new UserFacingError('bad-request', vscode.l10n.t('That contact is not valid: {0}', parsed.error.issues.map((i) => i.message).join('; ')));
  return parsed.data;
}

/** A contact card naming a user of the venue (Mixin): the user's id. */
export async function askVenueUserContact(conversationTitle: string): Promise<VenueUserContactFields | undefined> {
  const userId = await vscode.window.showInputBox({
    title: vscode.l10n.t('Send Contact: {0}', conversationTitle),
    prompt: vscode.l10n.t("The user id (a UUID) of the person whose contact card to share"),
    placeHolder: '773e5e77-4107-45c2-b648-8fc722ed77f5',
    ignoreFocusOut: true,
    validateInput: (v) => (VENUE_USER_ID.test(v.trim()) ? undefined : vscode.l10n.t('A user id is a UUID; the number shown in the app is not the id.')),
  });
  if (userId === undefined) return undefined;
  const parsed = structuredSchemas().venueUserContact.safeParse({ userId });
  if (!parsed.success) throw new UserFacingError('bad-request', vscode.l10n.t('That user id is not valid: {0}', parsed.error.issues.map((i) => i.message).join('; ')));
  return parsed.data;
}

type StickerPick = vscode.QuickPickItem & { readonly sticker?: StickerChoice };

/** A sticker from those the account saw lately, or one entered by id. */
export async function askSticker(conversationTitle: string, recent: readonly StickerChoice[]): Promise<(StickerFields & { readonly url?: string }) | undefined> {
  const title = vscode.l10n.t('Send Sticker: {0}', conversationTitle);
  const byId: StickerPick = { label: vscode.l10n.t('$(edit) Enter a sticker id…'), alwaysShow: true };
  const items: StickerPick[] = [
    // Names and ids seen in counterparties' stickers: words, never icons (untrustedLabels.ts).
    ...recent.map((sticker) => ({
      label: sticker.name !== undefined ? iconSafeText(sticker.name) : vscode.l10n.t('Sticker'),
      description: sticker.stickerId !== undefined || sticker.albumId !== undefined ? iconSafeText(sticker.stickerId ?? sticker.albumId ?? '') : undefined,
      detail: sticker.url ? undefined : vscode.l10n.t('No picture known yet'),
      sticker,
    })),
    byId,
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title,
    placeHolder: recent.length > 0 ? vscode.l10n.t('A sticker seen in your chats, or enter an id') : vscode.l10n.t('No stickers seen yet: enter a sticker id'),
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  if (picked.sticker) {
    const parsed = structuredSchemas().stickerFields.safeParse(picked.sticker);
    if (!parsed.success) throw new UserFacingError('bad-request', vscode.l10n.t('That sticker cannot be sent: {0}', parsed.error.issues.map((i) => i.message).join('; ')));
    return { ...parsed.data, ...(picked.sticker.url ? { url: picked.sticker.url } : {}) };
  }
  const stickerId = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('Sticker id'),
    ignoreFocusOut: true,
    validateInput: (v) => (structuredSchemas().stickerFields.safeParse({ stickerId: v }).success ? undefined : vscode.l10n.t('A sticker id has letters, digits and - _ . : only.')),
  });
  if (stickerId === undefined) return undefined;
  const parsed = structuredSchemas().stickerFields.safeParse({ stickerId });
  if (!parsed.success) throw new UserFacingError('bad-request', vscode.l10n.t('That sticker id is not valid: {0}', parsed.error.issues.map((i) => i.message).join('; ')));
  return parsed.data;
}

/** Asks for a message of `kind` the way the account's venue names it; undefined when the user gave up. */
export async function askStructured(kind: 'location' | 'contact' | 'sticker', adapter: VenueAdapter | undefined, conversationTitle: string): Promise<StructuredMessage | undefined> {
  switch (kind) {
    case 'location': {
      const fields = await askLocation(conversationTitle);
      return fields && locationMessage(fields);
    }
    case 'contact': {
      const fields = adapter?.capabilities.contactBy === 'venueUser' ? await askVenueUserContact(conversationTitle) : await askContact(conversationTitle);
      return fields && contactMessage(fields);
    }
    case 'sticker': {
      const fields = await askSticker(conversationTitle, adapter?.recentStickers?.() ?? []);
      return fields && stickerMessage(fields);
    }
  }
}

export interface StructuredSendOptions {
  readonly clientMessageId?: string;
  /** Key of the stored message this one answers. */
  readonly replyTo?: string;
}

/** Queues a location, contact or sticker where the account's venue can send that kind. */
export async function queueStructured(hub: InboxHub, target: { accountId: string; conversationId: string }, message: StructuredMessage, options: StructuredSendOptions = {}): Promise<ChatMessage> {
  const adapter = hub.adapter(target.accountId);
  if (!adapter) throw new UserFacingError('not-found', vscode.l10n.t('This account is not connected in this window.'));
  if (!hub.conversation(target.accountId, target.conversationId)) throw new UserFacingError('not-found', vscode.l10n.t('No such conversation.'));
  if (!adapter.capabilities.sendKinds.includes(message.kind)) throw new UserFacingError('unsupported', vscode.l10n.t('This venue cannot send {0} messages.', message.kind));
  return hub.send({
    ...target,
    ...message,
    clientMessageId: options.clientMessageId ?? randomBytes(12).toString('base64url'),
    ...(options.replyTo !== undefined ? { replyTo: options.replyTo } : {}),
  });
}
