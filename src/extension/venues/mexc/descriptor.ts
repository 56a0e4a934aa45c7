// MEXC P2P account form (docs/venue-accounts.md): an HMAC API key with the "P2P Deal Order"
// permission; REST and the chat WebSocket are the two endpoints.
import type { VenueDescriptor } from '../descriptor';
import { checkKeyPairDistinct, hmacKeyPairFields } from '../keyShape';
import * as l10n from '@vscode/l10n';

export const MEXC_DEFAULT_ENDPOINTS = { rest: 'https://api.mexc.com', ws: 'wss://wbs.p2p.mexc.com/ws' } as const;

/** MEXC access keys start with `mx0`; the secret is hex. A pair the other way round was pasted swapped. */
function checkMexcPair(values: Readonly<Record<string, string>>): string | undefined {
  const { apiKey = '', secretKey = '' } = values;
  if (/^mx0/i.test(secretKey) && !/^mx0/i.test(apiKey)) return l10n.t('the API key and the secret key look swapped (the access key starts with "mx0")');
  return checkKeyPairDistinct(values);
}

export const MEXC_DESCRIPTOR: VenueDescriptor = {
  id: 'mexc',
  name: 'MEXC P2P',
  credentialFields: hmacKeyPairFields({ label: l10n.t('API key (access key)'), hint: l10n.t('A key with the "P2P Deal Order" permission.') }),
  endpoints: [
    { key: 'rest', label: l10n.t('REST base URL') },
    { key: 'ws', label: l10n.t('Chat WebSocket URL') },
  ],
  endpointPresets: [{ id: 'production', label: l10n.t('Production'), endpoints: MEXC_DEFAULT_ENDPOINTS }],
  settings: [],
  checkCredentials: checkMexcPair,
  supported: true,
};
