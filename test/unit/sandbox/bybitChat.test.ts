import * as assert from 'node:assert/strict';
import { z } from 'zod';
import { startSandbox, type Sandbox } from '../../../sandbox/index';
import { LONG_CHAT_MESSAGES } from '../../../sandbox/bybit/seed';
import { callBybit, innerSchema, legacyPage, okResult, orderOf, retCode, sessionPage, type SessionMessage } from './bybitHelpers';

const LEGACY_SEND = '/v5/p2p/order/message/send';
const SESSION_ID = '/v5/p2p/chat/session/getSessionId';
const LIST_V1 = '/v5/p2p/chat/session/list_v1';
const SEND = '/v5/p2p/chat/message/send';

const sessionRow = z.object({ sessionName: z.string(), sessionId: z.string(), type: z.literal('SINGLE'), id: z.string().regex(/^\d+$/), unreadCount: z.string().regex(/^\d+$/) }).strict();
const sessionList = z.object({ chatSession: z.array(sessionRow) }).strict();

describe('sandbox Bybit chat', () => {
  let sb: Sandbox;
  before(async () => {
    sb = await startSandbox({ counterparty: false, venues: { bybit: { sendPerSecond: 1000, listPerSecond: 1000 } } });
  });
  afterEach(() => sb.reset());
  after(async () => {
    await sb.close();
  });

  describe('order-scoped (legacy) API', () => {
    it('lists an order chat newest first in the shape of seed 001, paged by currentPage/size', async () => {
      const order = orderOf(sb, 0, 20);
      const first = await legacyPage(sb, order.orderId, 50);
      assert.equal(first.length, 50);
      const ids = first.map((m) => Number(m.id));
      assert.deepEqual(ids, [...ids].sort((a, b) => b - a));
      const all = [];
      for (let page = 1; ; page++) {
        const items = await legacyPage(sb, order.orderId, 50, page);
        if (items.length === 0) break;
        all.push(...items);
      }
      assert.equal(all.length, LONG_CHAT_MESSAGES);
      assert.equal(new Set(all.map((m) => m.id)).size, all.length);
      const me = sb.venue('bybit').identity(0);
      const mine = all.filter((m) => m.userId === me.userId);
      assert.ok(mine.length > 0 && mine.every((m) => m.nickName === me.nickName && m.roleType === 'user' && /^[0-9a-f]{32}$/.test(m.msgUuid)));
      assert.ok(all.some((m) => m.contentType === 'pic' && m.msgType === 2 && m.message.startsWith('/fiat/p2p/oss/showObj/otc/9001/')));
      assert.ok(all.some((m) => m.contentType === 'pdf' && m.msgType === 7 && m.fileName.endsWith('.pdf')));
    });

    it('shows SYSTEM lines with roleType sys and msgType 0', async () => {
      const items = await legacyPage(sb, orderOf(sb, 0, 50).orderId, 20);
      const system = items.filter((m) => m.roleType === 'sys');
      assert.ok(system.length >= 2);
      assert.ok(system.every((m) => m.msgType === 0 && m.nickName === 'SYSTEM' && m.msgCode > 0));
    });

    it('sends with msgUuid echoed back; a resend with the same msgUuid stores nothing new', async () => {
      const { orderId } = orderOf(sb, 0, 10);
      const body = { message: 'hi, test', contentType: 'str', orderId, msgUuid: 'cf016044c7544be0b2dcb403ecce150d' };
      const reply = await callBybit(sb, LEGACY_SEND, { body });
      assert.equal(okResult(reply), null);
      assert.equal(okResult(await callBybit(sb, LEGACY_SEND, { body })), null);
      const mine = (await legacyPage(sb, orderId, 100)).filter((m) => m.msgUuid === body.msgUuid);
      assert.equal(mine.length, 1);
      assert.deepEqual([mine[0]!.message, mine[0]!.userId, mine[0]!.msgType], ['hi, test', sb.venue('bybit').identity(0).userId, 1]);
      assert.equal(sb.venue('bybit').messages(orderId).filter((m) => m.msgUuid === body.msgUuid).length, 1);
    });

    it('validates sends: msgUuid, message, contentType (any case), 1000 characters', async () => {
      const { orderId } = orderOf(sb, 0, 10);
      const base = { message: 'x', contentType: 'STR', orderId, msgUuid: 'u1' };
      assert.equal(retCode(await callBybit(sb, LEGACY_SEND, { body: base })), 0, 'upper case accepted');
      assert.equal(retCode(await callBybit(sb, LEGACY_SEND, { body: { ...base, msgUuid: 'u2', message: 'é'.repeat(1000) } })), 0);
      for (const body of [{ ...base, msgUuid: undefined }, { ...base, msgUuid: 'u3', message: '' }, { ...base, msgUuid: 'u4', contentType: 'txt' }, { ...base, msgUuid: 'u5', message: 'x'.repeat(1001) }, { ...base, msgUuid: 'u6', contentType: 'pic', message: '/not/uploaded.png' }]) {
        assert.equal(retCode(await callBybit(sb, LEGACY_SEND, { body })), 10001, JSON.stringify(body).slice(0, 80));
      }
      assert.equal(retCode(await callBybit(sb, LEGACY_SEND, { account: 1, body: base })), 912200387);
    });

    it('is closed (912200387) for the second account until the fault opens it; the fault closes it for the first', async () => {
      const other = orderOf(sb, 1, 10).orderId;
      const listed = await callBybit(sb, '/v5/p2p/order/message/listpage', { account: 1, body: { orderId: other, size: '10' } });
      assert.equal(retCode(listed), 912200387);
      assert.equal(z.object({ ret_msg: z.string() }).passthrough().parse(listed.body).ret_msg, 'chat open api close, pls chat with new open api');
      sb.venue('bybit').applyFaults({ legacyChatClosed: [0] });
      assert.ok((await legacyPage(sb, other, 10, 1, 1)).length > 0);
      assert.equal(retCode(await callBybit(sb, '/v5/p2p/order/message/listpage', { body: { orderId: orderOf(sb, 0, 10).orderId, size: '10' } })), 912200387);
    });
  });

  describe('session API', () => {
    it('getSessionId: an opaque base64 id (+ / =), the same for both orders with one counterparty and run to run', async () => {
      const order = orderOf(sb, 0, 10);
      const result = z.object({ sessionId: z.string() }).strict().parse(okResult(await callBybit(sb, SESSION_ID, { body: { userMaskId: order.targetUserMaskId } })));
      assert.match(result.sessionId, /^[A-Za-z0-9+/]+=*$/);
      assert.ok(/\+/.test(result.sessionId) && /\//.test(result.sessionId) && /=$/.test(result.sessionId));
      assert.equal(result.sessionId, order.sessionId);
      const sameOther = sb.venue('bybit').orders(0).filter((o) => o.targetUserMaskId === order.targetUserMaskId);
      assert.equal(sameOther.length, 2);
      assert.ok(sameOther.every((o) => o.sessionId === result.sessionId));
      assert.equal(retCode(await callBybit(sb, SESSION_ID, { body: { userMaskId: 's'.padEnd(33, '0') } })), 913100001);
      assert.equal(retCode(await callBybit(sb, SESSION_ID, { account: 1, body: { userMaskId: order.targetUserMaskId } })), 913100001, 'not a counterparty of account 1');
    });

    it('list_v1: string id and unreadCount, lastId cursor, a size above 20 is 913100009, readStatus filters', async () => {
      const all = sessionList.parse(okResult(await callBybit(sb, LIST_V1, { body: { lastId: 0, size: 20, readStatus: 2 } }))).chatSession;
      assert.equal(all.length, sb.venue('bybit').sessions(0).length);
      const walked = [];
      let lastId = '0';
      for (;;) {
        const page = sessionList.parse(okResult(await callBybit(sb, LIST_V1, { body: { lastId, size: 2, readStatus: 2 } }))).chatSession;
        if (page.length === 0) break;
        walked.push(...page);
        lastId = page[page.length - 1]!.id;
      }
      assert.deepEqual(walked, all);
      assert.equal(retCode(await callBybit(sb, LIST_V1, { body: { lastId: 0, size: 21, readStatus: 2 } })), 913100009);
      assert.equal(retCode(await callBybit(sb, LIST_V1, { body: { lastId: 0, size: 10 } })), 10001, 'readStatus required');
      const unread = sessionList.parse(okResult(await callBybit(sb, LIST_V1, { body: { lastId: 0, size: 20, readStatus: 0 } }))).chatSession;
      const read = sessionList.parse(okResult(await callBybit(sb, LIST_V1, { body: { lastId: 0, size: 20, readStatus: 1 } }))).chatSession;
      assert.ok(unread.length > 0 && unread.every((s) => Number(s.unreadCount) > 0));
      assert.ok(read.every((s) => s.unreadCount === '0'));
      assert.equal(unread.length + read.length, all.length);
    });

    it('/session/list: the same sessions with a numeric id and no unread count, filterable by userMaskId', async () => {
      const order = orderOf(sb, 0, 10);
      const rows = z.object({ chatSession: z.array(z.object({ sessionName: z.string(), sessionId: z.string(), type: z.string(), id: z.number() }).strict()) }).parse(
        okResult(await callBybit(sb, '/v5/p2p/chat/session/list', { body: { size: 20, userMaskId: order.targetUserMaskId } })),
      ).chatSession;
      assert.deepEqual(rows.map((r) => [r.sessionId, r.sessionName]), [[order.sessionId, order.targetNickName]]);
    });

    it('pages a long chat by the exclusive lastId cursor, newest first, message as a JSON string', async () => {
      const { sessionId } = orderOf(sb, 0, 20);
      const walked: SessionMessage[] = [];
      let lastId = '0';
      for (;;) {
        const page = await sessionPage(sb, sessionId, 30, lastId);
        if (page.length === 0) break;
        walked.push(...page);
        lastId = page[page.length - 1]!.id;
      }
      assert.equal(walked.length, LONG_CHAT_MESSAGES);
      const ids = walked.map((m) => Number(m.id));
      assert.deepEqual(ids, [...ids].sort((a, b) => b - a));
      assert.equal(new Set(ids).size, ids.length);
      const inner = walked.map((m) => innerSchema.parse(JSON.parse(m.message)));
      assert.ok(inner.some((i, n) => walked[n]!.contentType === 'pic' && i.content.startsWith('/fiat/p2p/oss/showObj/') && i.fileName.endsWith('.png')));
      assert.ok(walked.some((m) => m.sendUserNickName === 'SandboxBybit') && walked.some((m) => m.sendUserNickName !== 'SandboxBybit'));
      const second = await sessionPage(sb, sessionId, 5, walked[4]!.id);
      assert.deepEqual(second.map((m) => m.id), walked.slice(5, 10).map((m) => m.id), 'lastId is exclusive');
      assert.deepEqual((await sessionPage(sb, sessionId, 5, '0', 0, '/v5/p2p/chat/message/listpage_v1')).map((m) => m.id), walked.slice(0, 5).map((m) => m.id));
      assert.equal(retCode(await callBybit(sb, '/v5/p2p/chat/message/listpage', { body: { sessionId, limit: 31 } })), 10001);
      assert.equal(retCode(await callBybit(sb, '/v5/p2p/chat/message/listpage', { body: { sessionId: 'bm9wZQ==', limit: 5 } })), 913100001);
      assert.deepEqual(okResult(await callBybit(sb, '/v5/p2p/chat/message/listpage_v1', { body: { sessionId, size: 5 } })), { messages: [] }, 'listpage_v1 wants limit, not size');
    });

    it('shows every message of the counterparty\'s orders, SYSTEM lines included, but only three months back', async () => {
      const order = orderOf(sb, 0, 10);
      const view = sb.venue('bybit').sessions(0).find((s) => s.sessionId === order.sessionId)!;
      const page = await sessionPage(sb, order.sessionId, 30);
      assert.equal(page.length, view.messages);
      const stored = sb.venue('bybit').messages().filter((m) => view.orderIds.includes(m.orderId));
      assert.deepEqual(page.map((m) => m.id).sort(), stored.map((m) => String(m.id)).sort());
      assert.ok(page.some((m) => m.sendUserNickName === 'SYSTEM' && innerSchema.parse(JSON.parse(m.message)).msgType === 0));
      const old = sb.venue('bybit').orders(0).find((o) => sb.venue('bybit').now() - o.createDate > 100 * 24 * 3600 * 1000)!;
      assert.deepEqual(await sessionPage(sb, old.sessionId, 30), []);
      assert.ok((await legacyPage(sb, old.orderId, 30)).length > 0, 'the order-scoped list still has it');
    });

    it('reading a session resets its unread count', async () => {
      const unread = sb.venue('bybit').sessions(0).find((s) => s.unreadCount > 0)!;
      await sessionPage(sb, unread.sessionId, 1);
      assert.equal(sb.venue('bybit').sessions(0).find((s) => s.id === unread.id)!.unreadCount, 0);
      const row = sessionList.parse(okResult(await callBybit(sb, LIST_V1, { body: { lastId: 0, size: 20, readStatus: 2 } }))).chatSession.find((s) => s.sessionId === unread.sessionId)!;
      assert.equal(row.unreadCount, '0');
      sb.venue('bybit').inject({ orderId: unread.orderIds[0]!, content: 'new' });
      assert.equal(sb.venue('bybit').sessions(0).find((s) => s.id === unread.id)!.unreadCount, 1);
    });

    it('sends on /send (result null) and /send_v1 (orderId required, result {}); both views show the message', async () => {
      const order = orderOf(sb, 0, 10);
      assert.equal(okResult(await callBybit(sb, SEND, { body: { message: 'hello session', contentType: 'STR', sessionId: order.sessionId } })), null);
      assert.equal(retCode(await callBybit(sb, '/v5/p2p/chat/message/send_v1', { body: { message: 'v1', contentType: 'str', sessionId: order.sessionId } })), 10001);
      assert.deepEqual(okResult(await callBybit(sb, '/v5/p2p/chat/message/send_v1', { body: { message: 'v1', contentType: 'str', sessionId: order.sessionId, orderId: order.orderId } })), {});
      const [newest, before] = await sessionPage(sb, order.sessionId, 2);
      assert.deepEqual([newest!.sendUserNickName, innerSchema.parse(JSON.parse(newest!.message)).content], ['SandboxBybit', 'v1']);
      assert.equal(innerSchema.parse(JSON.parse(before!.message)).content, 'hello session');
      sb.venue('bybit').applyFaults({ legacyChatClosed: [] });
      const legacy = (await legacyPage(sb, order.orderId, 2)).map((m) => [m.message, m.userId, m.msgUuid]);
      assert.deepEqual(legacy, [['v1', sb.venue('bybit').identity(0).userId, ''], ['hello session', sb.venue('bybit').identity(0).userId, '']]);
      const other = sb.venue('bybit').orders(0).find((o) => o.sessionId !== order.sessionId)!;
      assert.equal(retCode(await callBybit(sb, SEND, { body: { message: 'x', contentType: 'str', sessionId: order.sessionId, orderId: other.orderId } })), 912100002, 'an order of another session');
      assert.equal(retCode(await callBybit(sb, SEND, { body: { message: 'x'.repeat(1001), contentType: 'str', sessionId: order.sessionId } })), 10001);
    });
  });
});
