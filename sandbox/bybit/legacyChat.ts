// The order-scoped (legacy) chat API of seed 001: `/v5/p2p/order/message/listpage` (orderId,
// currentPage, size; newest first) and `/v5/p2p/order/message/send` (idempotent by msgUuid). Both
// answer 912200387 for an account whose order chat API is closed.
import { BybitErrors } from './errors';
import { legacyItem } from './chatViews';
import { sendFields } from './chatSend';
import { failure, isError, ownOrder, success, withMalformedItem, type Route } from './routeKit';

const MAX_SIZE = 100;

export const LEGACY_CHAT_ROUTES: Readonly<Record<string, Route>> = {
  '/v5/p2p/order/message/listpage': {
    kind: 'list',
    handle: (ctx) => {
      if (ctx.backend.legacyClosed(ctx.account)) return failure(BybitErrors.legacyClosed);
      const order = ownOrder(ctx);
      if (isError(order)) return failure(order);
      const size = ctx.params.int('size', undefined, 1, MAX_SIZE);
      if (isError(size)) return failure(size);
      const page = ctx.params.int('currentPage', 1, 1, 1_000_000);
      if (isError(page)) return failure(page);
      const store = ctx.backend.store();
      const messages = [...store.messagesOf(order.id)].sort((a, b) => b.id - a.id);
      // Reading the chat reads what the other side (and the system) wrote.
      for (const m of messages) if (m.fromUserId !== ctx.account.userId) m.read = true;
      const accountIdOf = (userId: string): string => (userId === order.account.userId ? order.account.accountId : order.other.accountId);
      return success(withMalformedItem(ctx, messages.slice((page - 1) * size, page * size).map((m) => legacyItem(m, accountIdOf(m.fromUserId)))));
    },
  },
  '/v5/p2p/order/message/send': {
    kind: 'send',
    commits: true,
    handle: (ctx) => {
      if (ctx.backend.legacyClosed(ctx.account)) return failure(BybitErrors.legacyClosed);
      const order = ownOrder(ctx);
      if (isError(order)) return failure(order);
      const msgUuid = ctx.params.text('msgUuid');
      if (!msgUuid) return failure(BybitErrors.params('msgUuid is required'));
      const fields = sendFields(ctx.params, ctx.backend);
      if (isError(fields)) return failure(fields);
      // A resend with the same client id is the same message: accepted, not stored twice.
      const known = ctx.backend.store().messagesOf(order.id).some((m) => m.msgUuid === msgUuid && m.fromUserId === ctx.account.userId);
      if (!known) ctx.backend.postOwn(order, fields, msgUuid);
      return success(null);
    },
  },
};
