// The pairing state of an account (WhatsApp through a gateway: a QR code to scan with the phone).
// The code comes from the user's gateway, so it is checked before anything shows it: only a
// base64 PNG or SVG data: URL, of bounded size, is ever put in an <img src>.

/** The only QR image form accepted: nothing but base64 after a PNG or SVG media type. */
export const QR_DATA_URL_PATTERN = /^data:image\/(png|svg\+xml);base64,[A-Za-z0-9+/=]+$/;
/** A QR code PNG is a few KB; anything past this is not a QR code. */
export const MAX_QR_DATA_URL_LENGTH = 512 * 1024;

export function isSafeQrDataUrl(value: unknown): boolean {
  return typeof value === 'string' && value.length <= MAX_QR_DATA_URL_LENGTH && QR_DATA_URL_PATTERN.test(value);
}

export type PairingStatus =
  /** Waiting for the user: `qrDataUrl` (already checked) is the newest code, `detail` the gateway's words. */
  | { readonly state: 'needed'; readonly qrDataUrl?: string; readonly detail?: string }
  | { readonly state: 'paired' };

export interface PairingChange {
  readonly accountId: string;
  /** Undefined: the account is gone (its pairing pane closes). */
  readonly pairing: PairingStatus | undefined;
}
