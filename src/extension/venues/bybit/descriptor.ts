// Bybit P2P account form (docs/venue-accounts.md): an API key with either an HMAC secret or an
// RSA private key (the user registered its public half with Bybit); mainnet, testnet or a
// regional mainnet; and which chat API generation to use.
import { createPrivateKey } from 'node:crypto';
import type { EndpointPreset, VenueDescriptor } from '../descriptor';
import { checkDistinct, checkKeyShape } from '../keyShape';
import { parsePem } from '../pem';

const REGIONS: readonly (readonly [id: string, label: string, host: string])[] = [
  ['nl', 'Netherlands', 'api.bybit.nl'],
  ['tr', 'Türkiye', 'api.bybit-tr.com'],
  ['kz', 'Kazakhstan', 'api.bybit.kz'],
  ['ge', 'Georgia', 'api.bybitgeorgia.ge'],
  ['ae', 'United Arab Emirates', 'api.bybit.ae'],
  ['eu', 'European Economic Area', 'api.bybit.eu'],
  ['id', 'Indonesia', 'api.bybit.id'],
];

export const BYBIT_PRESETS: readonly EndpointPreset[] = [
  { id: 'mainnet', label: 'Mainnet (api.bybit.com)', endpoints: { rest: 'https://api.bybit.com' } },
  { id: 'mainnet-bytick', label: 'Mainnet, alternative host (api.bytick.com)', endpoints: { rest: 'https://api.bytick.com' } },
  { id: 'testnet', label: 'Testnet (api-testnet.bybit.com)', endpoints: { rest: 'https://api-testnet.bybit.com' } },
  ...REGIONS.map(([id, label, host]) => ({ id: `region-${id}`, label: `${label} (${host})`, group: 'Regional mainnet', endpoints: { rest: `https://${host}` } })),
];

/** Bybit signs RSA requests with PKCS#1 v1.5 / SHA-256: the key must be an RSA private key Node can load. */
export function checkRsaPrivateKey(text: string): string | undefined {
  const parsed = parsePem(text, ['PRIVATE KEY', 'RSA PRIVATE KEY']);
  if (!parsed.ok) return parsed.problem;
  try {
    const key = createPrivateKey(parsed.pem.text);
    return key.asymmetricKeyType === 'rsa' ? undefined : `this is a ${key.asymmetricKeyType ?? 'non-RSA'} key; Bybit takes RSA keys`;
  } catch {
    return 'the PEM does not hold a readable private key';
  }
}

function checkHmacSecret(value: string): string | undefined {
  return value.startsWith('-----BEGIN') ? 'this is a PEM key: choose the RSA key type' : checkKeyShape(value);
}

export const BYBIT_DESCRIPTOR: VenueDescriptor = {
  id: 'bybit',
  name: 'Bybit P2P',
  credentialFields: [
    {
      key: 'keyType',
      label: 'Key type',
      kind: 'choice',
      secret: false,
      options: [
        { value: 'hmac', label: 'System-generated key (HMAC)', description: 'Bybit showed you an API key and a secret' },
        { value: 'rsa', label: 'Self-generated key (RSA)', description: 'you gave Bybit a public key and keep the private key' },
      ],
    },
    { key: 'apiKey', label: 'API key', kind: 'secret', secret: true, hint: 'A key with the P2P permission.', validate: checkKeyShape },
    { key: 'secret', label: 'API secret', kind: 'secret', secret: true, showWhen: { field: 'keyType', is: ['hmac'] }, validate: checkHmacSecret },
    { key: 'privateKey', label: 'RSA private key', kind: 'pem', secret: true, showWhen: { field: 'keyType', is: ['rsa'] }, hint: 'The private key whose public half you registered with Bybit.', validate: checkRsaPrivateKey },
  ],
  endpoints: [{ key: 'rest', label: 'REST base URL' }],
  endpointPresets: BYBIT_PRESETS,
  settings: [
    {
      key: 'chatMode',
      label: 'Chat API',
      kind: 'choice',
      default: 'auto',
      options: [
        { value: 'auto', label: 'Automatic', description: 'order chat first; session chat when Bybit says the order chat API is closed' },
        { value: 'order', label: 'Order chat API' },
        { value: 'session', label: 'Session chat API' },
      ],
    },
  ],
  checkCredentials: (values) => checkDistinct(values, 'apiKey', 'secret', 'the API key and the secret are the same value: paste the secret into the second box'),
  supported: true,
};
