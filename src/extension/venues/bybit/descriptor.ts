// Bybit P2P account form (docs/venue-accounts.md): an API key with either an HMAC secret or an
// RSA private key (the user registered its public half with Bybit); mainnet, testnet or a
// regional mainnet; and which chat API generation to use.
import { createPrivateKey } from 'node:crypto';
import type { EndpointPreset, VenueDescriptor } from '../descriptor';
import { checkDistinct, checkKeyShape } from '../keyShape';
import { parsePem } from '../pem';
import * as l10n from '@vscode/l10n';

const REGIONS: readonly (readonly [id: string, label: string, host: string])[] = [
  ['nl', l10n.t('Netherlands'), 'api.bybit.nl'],
  ['tr', l10n.t('Türkiye'), 'api.bybit-tr.com'],
  ['kz', l10n.t('Kazakhstan'), 'api.bybit.kz'],
  ['ge', l10n.t('Georgia'), 'api.bybitgeorgia.ge'],
  ['ae', l10n.t('United Arab Emirates'), 'api.bybit.ae'],
  ['eu', l10n.t('European Economic Area'), 'api.bybit.eu'],
  ['id', l10n.t('Indonesia'), 'api.bybit.id'],
];

export const BYBIT_PRESETS: readonly EndpointPreset[] = [
  { id: 'mainnet', label: l10n.t('Mainnet (api.bybit.com)'), endpoints: { rest: 'https://api.bybit.com' } },
  { id: 'mainnet-bytick', label: l10n.t('Mainnet, alternative host (api.bytick.com)'), endpoints: { rest: 'https://api.bytick.com' } },
  { id: 'testnet', label: l10n.t('Testnet (api-testnet.bybit.com)'), endpoints: { rest: 'https://api-testnet.bybit.com' } },
  ...REGIONS.map(([id, label, host]) => ({ id: `region-${id}`, label: l10n.t({ message: '{0} ({1})', args: [label, host], comment: ['{0} is a region (translated above), {1} its API host name.'] }), group: l10n.t('Regional mainnet'), endpoints: { rest: `https://${host}` } })),
];

/** Bybit signs RSA requests with PKCS#1 v1.5 / SHA-256: the key must be an RSA private key Node can load. */
export function checkRsaPrivateKey(text: string): string | undefined {
  const parsed = parsePem(text, ['PRIVATE KEY', 'RSA PRIVATE KEY']);
  if (!parsed.ok) return parsed.problem;
  try {
    const key = createPrivateKey(parsed.pem.text);
    if (key.asymmetricKeyType === 'rsa') return undefined;
    return key.asymmetricKeyType ? l10n.t({ message: 'this is a {0} key; Bybit takes RSA keys', args: [key.asymmetricKeyType], comment: ['{0} is a key algorithm, e.g. ec or ed25519.'] }) : l10n.t('this is a non-RSA key; Bybit takes RSA keys');
  } catch {
    return l10n.t('the PEM does not hold a readable private key');
  }
}

function checkHmacSecret(value: string): string | undefined {
  return value.startsWith('-----BEGIN') ? l10n.t('this is a PEM key: choose the RSA key type') : checkKeyShape(value);
}

export const BYBIT_DESCRIPTOR: VenueDescriptor = {
  id: 'bybit',
  name: 'Bybit P2P',
  credentialFields: [
    {
      key: 'keyType',
      label: l10n.t('Key type'),
      kind: 'choice',
      secret: false,
      options: [
        { value: 'hmac', label: l10n.t('System-generated key (HMAC)'), description: l10n.t('Bybit showed you an API key and a secret') },
        { value: 'rsa', label: l10n.t('Self-generated key (RSA)'), description: l10n.t('you gave Bybit a public key and keep the private key') },
      ],
    },
    { key: 'apiKey', label: l10n.t('API key'), kind: 'secret', secret: true, hint: l10n.t('A key with the P2P permission.'), validate: checkKeyShape },
    { key: 'secret', label: l10n.t('API secret'), kind: 'secret', secret: true, showWhen: { field: 'keyType', is: ['hmac'] }, validate: checkHmacSecret },
    { key: 'privateKey', label: l10n.t('RSA private key'), kind: 'pem', secret: true, showWhen: { field: 'keyType', is: ['rsa'] }, hint: l10n.t('The private key whose public half you registered with Bybit.'), validate: checkRsaPrivateKey },
  ],
  endpoints: [{ key: 'rest', label: l10n.t('REST base URL') }],
  endpointPresets: BYBIT_PRESETS,
  settings: [
    {
      key: 'chatMode',
      label: l10n.t('Chat API'),
      kind: 'choice',
      default: 'auto',
      options: [
        { value: 'auto', label: l10n.t('Automatic'), description: l10n.t('order chat first; session chat when Bybit says the order chat API is closed') },
        { value: 'order', label: l10n.t('Order chat API') },
        { value: 'session', label: l10n.t('Session chat API') },
      ],
    },
  ],
  checkCredentials: (values) => checkDistinct(values, 'apiKey', 'secret', l10n.t('the API key and the secret are the same value: paste the secret into the second box')),
  supported: true,
};
