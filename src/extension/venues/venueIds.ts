// Ids as venues' REST replies give them: text or a JSON number, read as the text the store keeps.
// One that the store could not keep (empty, longer than any id, an order number with spaces or
// direction characters, an integer past 2^53 read as a float) is refused where the reply is read,
// with its item or page, rather than mapped into a message or conversation the store then refuses.
import * as z from 'zod';
import { ORDER_NO_PATTERN } from '../../shared/conversationValidator';

/** Longer than any id a venue uses; a message's key holds several ids and must stay under the store's field limit. */
export const MAX_VENUE_ID_LENGTH = 1024;

const safeInteger = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** A message, user or conversation id. */
export const venueIdSchema = z.union([z.string().min(1).max(MAX_VENUE_ID_LENGTH), safeInteger]).transform((v) => String(v));

/** An order number: it names the order's conversation and is checked again when that is saved. */
export const orderNumberSchema = z.union([z.string().regex(ORDER_NO_PATTERN, 'not an order number'), safeInteger]).transform((v) => String(v));
