// Shape checks shared by venues whose keys are opaque one-line tokens (MEXC, Binance, Bybit):
// catch what goes wrong when pasting (a space, quotes, half a key, the same value twice) without
// guessing a venue's exact format, which the venue's own signed check settles anyway.
import type { FieldDescriptor } from './descriptor';
import * as l10n from '@vscode/l10n';

/** The problem with a pasted API key or HMAC secret, if any. */
export function checkKeyShape(value: string): string | undefined {
  if (/\s/.test(value)) return l10n.t({ message: 'contains spaces or line breaks (copy the key again)', comment: ['Said of a pasted API key or secret; shown after the field\'s name and a colon.'] });
  if (/^["'`].*["'`]$/.test(value)) return l10n.t({ message: 'remove the quotes around it', comment: ['Said of a pasted API key or secret; shown after the field\'s name and a colon.'] });
  if (!/^[\x21-\x7e]+$/.test(value)) return l10n.t({ message: 'contains characters an API key never has', comment: ['Said of a pasted API key or secret; shown after the field\'s name and a colon.'] });
  if (value.length < 8) return l10n.t({ message: 'is too short to be a key (was it cut off?)', comment: ['Said of a pasted API key or secret; shown after the field\'s name and a colon.'] });
  if (value.length > 256) return l10n.t({ message: 'is too long to be a key', comment: ['Said of a pasted API key or secret; shown after the field\'s name and a colon.'] });
  return undefined;
}

/** A key and its secret pasted twice into both boxes. */
export function checkDistinct(values: Readonly<Record<string, string>>, a: string, b: string, what: string): string | undefined {
  const x = values[a];
  return x !== undefined && x === values[b] ? what : undefined;
}

/** An HMAC key pair (`apiKey`, `secretKey`) as two password boxes, as MEXC and Binance ask for it. */
export function hmacKeyPairFields(apiKey: { readonly label: string; readonly hint: string }): FieldDescriptor[] {
  return [
    { key: 'apiKey', label: apiKey.label, kind: 'secret', secret: true, hint: apiKey.hint, validate: checkKeyShape },
    { key: 'secretKey', label: l10n.t('Secret key'), kind: 'secret', secret: true, validate: checkKeyShape },
  ];
}

/** The pair of `hmacKeyPairFields` pasted twice into both boxes. */
export function checkKeyPairDistinct(values: Readonly<Record<string, string>>): string | undefined {
  return checkDistinct(values, 'apiKey', 'secretKey', l10n.t('the API key and the secret key are the same value: paste the secret into the second box'));
}
