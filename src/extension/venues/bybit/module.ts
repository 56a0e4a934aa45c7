// Bybit's bundle (dist/venues/bybit.js): builds the adapter of one account from its saved form.
import { requiredCredential, type AdapterContext } from '../descriptor';
import { parsePem } from '../pem';
import { VenueError } from '../venue';
import type { VenueModule } from '../venueModule';
import { BybitAdapter } from './adapter';
import { chatModeOf } from './chatGeneration';
import type { BybitKey } from './signing';
import * as l10n from '@vscode/l10n';

export const venueModule: VenueModule = {
  venue: 'bybit',
  createAdapter: (ctx) =>
    new BybitAdapter({
      accountId: ctx.accountId,
      key: bybitKeyOf(ctx),
      endpoints: { rest: ctx.endpoints.rest ?? 'https://api.bybit.com' },
      chatMode: chatModeOf(ctx.settings.chatMode),
      state: ctx.state,
      clock: ctx.clock,
      logger: ctx.logger,
    }),
};

function bybitKeyOf(ctx: AdapterContext): BybitKey {
  const apiKey = requiredCredential(ctx.credentials, 'apiKey');
  if (ctx.credentials.keyType === 'rsa') {
    const pem = parsePem(requiredCredential(ctx.credentials, 'privateKey'), ['PRIVATE KEY', 'RSA PRIVATE KEY']);
    if (!pem.ok) throw new VenueError('auth', l10n.t('the stored RSA private key cannot be read: {0}', pem.problem));
    return { kind: 'rsa', apiKey, privateKeyPem: pem.pem.text };
  }
  return { kind: 'hmac', apiKey, secret: requiredCredential(ctx.credentials, 'secret') };
}
