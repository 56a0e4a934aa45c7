import * as assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../../../sandbox/index';
import { classify } from '../../../sandbox/mexc/counterparty';
import { conversationsOf, createListenKey, delay, isPush, openSocket, pushData, type Client, type PushData } from './helpers';

describe('sandbox MEXC scripted counterparty', () => {
  it('classifies messages by keyword, payment first', () => {
    assert.equal(classify('Hello!'), 'greeting');
    assert.equal(classify('hi, I have paid'), 'paid');
    assert.equal(classify('Transfer done'), 'paid');
    assert.equal(classify('please send bank details'), 'bankDetails');
    assert.equal(classify('IBAN?'), 'bankDetails');
    assert.equal(classify('can you share the receipt'), 'receipt');
    assert.equal(classify('I sent a screenshot'), 'receipt');
    assert.equal(classify('are you there?'), 'question');
    assert.equal(classify('ok'), 'ack');
    assert.equal(classify('history'), 'ack', 'whole words only');
  });

  describe('live', () => {
    let sb: Sandbox;
    let client: Client;
    let conversationId: number;
    beforeEach(async () => {
      sb = await startSandbox({ counterpartyReplyDelayMs: 10 });
      conversationId = conversationsOf(sb)[0]!;
      client = await openSocket(sb, await createListenKey(sb), conversationId);
    });
    afterEach(async () => {
      client.close();
      await sb.close();
    });

    const say = async (content: string, replies: number): Promise<PushData[]> => {
      const from = client.frames.length;
      client.sendMessage({ content, conversationId, type: 1 });
      const own = pushData(await client.next(isPush((d) => d.self && d.content === content), 2000, from))!;
      const deadline = Date.now() + 2000;
      let got: PushData[] = [];
      while (Date.now() < deadline) {
        got = client.frames.slice(from).map(pushData).filter((d): d is PushData => d !== undefined && !d.self && d.id > own.id);
        if (got.length >= replies) break;
        await delay(10);
      }
      await delay(60); // and nothing more arrives
      return client.frames.slice(from).map(pushData).filter((d): d is PushData => d !== undefined && !d.self);
    };

    it('greets back', async () => {
      const replies = await say('Hello', 1);
      assert.equal(replies.length, 1);
      assert.ok(/hi|hello|hey/i.test(replies[0]!.content));
    });

    it('answers "paid" with a check, then a release', async () => {
      const replies = await say('I have paid, please check', 2);
      assert.deepEqual(replies.map((r) => r.content), ['Thanks, checking my bank app now…', 'Received, releasing the coins.']);
      assert.ok(replies[0]!.id < replies[1]!.id);
    });

    it('sends payment details with the order number', async () => {
      const [details] = await say('Can you send your bank details?', 1);
      const order = sb.venue('mexc').state().orders.find((o) => o.conversationId === conversationId)!;
      assert.ok(details!.content.includes(order.advOrderNo), details!.content);
      assert.match(details!.content, /IBAN: DE\d{2}/);
    });

    it('sends a receipt image that the media server really serves', async () => {
      const [image] = await say('please send the receipt', 1);
      assert.equal(image!.type, 2);
      assert.equal(image!.imageUrl, `${sb.venue('mexc').mediaUrl}/receipt.png`);
      assert.equal(image!.imageThumbUrl, `${sb.venue('mexc').mediaUrl}/receipt_thumb.png`);
      const res = await fetch(image!.imageThumbUrl);
      assert.equal(res.headers.get('content-type'), 'image/png');
      assert.ok((await res.arrayBuffer()).byteLength > 50);
    });

    it('answers questions and acknowledges the rest, once per message, never to itself', async () => {
      assert.equal((await say('Is the order still open?', 1)).length, 1);
      assert.equal((await say('ok', 1)).length, 1);
      // Its own messages trigger nothing: injected counterparty lines get no answer.
      const before = sb.venue('mexc').messages(conversationId).length;
      sb.venue('mexc').inject({ conversationId, content: 'hello from them, paid?' });
      await delay(100);
      assert.equal(sb.venue('mexc').messages(conversationId).length, before + 1);
    });

    it('can be switched off, cancelling replies already scheduled', async () => {
      await sb.close();
      sb = await startSandbox({ counterpartyReplyDelayMs: 80 });
      conversationId = conversationsOf(sb)[0]!;
      client = await openSocket(sb, await createListenKey(sb), conversationId);
      const before = sb.venue('mexc').messages(conversationId).length;
      client.sendMessage({ content: 'hello', conversationId, type: 1 });
      await client.next(isPush((d) => d.self));
      sb.venue('mexc').applyFaults({ counterparty: false });
      await delay(200);
      assert.equal(sb.venue('mexc').messages(conversationId).length, before + 1);
    });
  });

  it('is deterministic for a given seed', async () => {
    const transcript = async (seed: number): Promise<string[]> => {
      const sb = await startSandbox({ seed, counterpartyReplyDelayMs: 0 });
      try {
        const conversationId = conversationsOf(sb)[0]!;
        for (const content of ['hi', 'ok', 'really?']) sb.venue('mexc').inject({ conversationId, content, fromSelf: true });
        await delay(50);
        return sb.venue('mexc').messages(conversationId).map((m) => `${m.id}:${m.self ? 'me' : 'them'}:${m.content}`);
      } finally {
        await sb.close();
      }
    };
    const a = await transcript(7);
    assert.deepEqual(await transcript(7), a);
    assert.equal(a.length, 2 + 6, 'two seeded lines, three of ours, three replies');
  });
});
