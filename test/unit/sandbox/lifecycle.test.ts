import * as assert from 'node:assert/strict';
import { startSandbox } from '../../../sandbox/index';
import { parseCliArgs, READY_PREFIX, runCli } from '../../../sandbox/cli';
import { callMexc, conversationsOf, createListenKey, delay, isPush, openSocket } from './helpers';

const WATCHED = ['TCPServerWrap', 'TCPSocketWrap', 'Timeout'];

function resources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of process.getActiveResourcesInfo()) if (WATCHED.includes(name)) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

describe('sandbox lifecycle', () => {
  it('close() leaves no server, socket or timer behind, even mid-conversation', async () => {
    await delay(0); // let mocha arm its own per-test timer first, so it is in both counts
    const before = resources();
    const sb = await startSandbox({ counterpartyReplyDelayMs: 5000, heartbeatTimeoutMs: 60_000 });
    const conversationId = conversationsOf(sb)[0]!;
    const key = await createListenKey(sb);
    const a = await openSocket(sb, key, conversationId);
    const b = await openSocket(sb, key, conversationsOf(sb)[1]!);
    a.sendMessage({ content: 'paid', conversationId, type: 1 }); // schedules counterparty replies
    await a.next(isPush());
    sb.venue('mexc').applyFaults({ halfOpen: true }); // paused sockets must be destroyed too
    await openSocket(sb, key, conversationId);
    sb.venue('mexc').applyFaults({ slowReplyMs: 10_000 });
    const slow = callMexc(sb, '/api/v3/userDataStream').catch(() => 'aborted');
    await delay(30);
    assert.ok(sb.venue('mexc').pendingTimers() > 0);

    await sb.close();
    assert.equal(sb.venue('mexc').pendingTimers(), 0);
    await Promise.all([a.closed, b.closed, slow]);
    await delay(50);
    const after = resources();
    for (const name of WATCHED) assert.ok((after[name] ?? 0) <= (before[name] ?? 0), `${name}: before ${before[name] ?? 0}, after ${after[name] ?? 0}`);
    await sb.close(); // idempotent
  });

  it('fails cleanly when a port is taken', async () => {
    const first = await startSandbox();
    const port = Number(new URL(first.venue('mexc').restUrl).port);
    try {
      await assert.rejects(startSandbox({ ports: { mexc: port } }), /EADDRINUSE/);
    } finally {
      await first.close();
    }
  });

  describe('CLI', () => {
    it('parses its flags', () => {
      const options = parseCliArgs(['--host', '127.0.0.1', '--port', '0', '--mexc-port', '0', '--heartbeat-timeout-ms', '300', '--reply-delay-ms', '20', '--exit-with-parent'], () => undefined);
      assert.equal(options.exitWithParent, true);
      assert.equal(options.sandbox.heartbeatTimeoutMs, 300);
      assert.equal(options.sandbox.counterpartyReplyDelayMs, 20);
      assert.equal(options.sandbox.controlPort, 0);
      assert.deepEqual(options.sandbox.ports, { mexc: 0 });
      assert.deepEqual(parseCliArgs(['--mexc-port', '4567'], () => undefined).sandbox.ports, { mexc: 4567 });
      assert.throws(() => parseCliArgs(['--mexc-port', '-1'], () => undefined), /--mexc-port/);
      assert.throws(() => parseCliArgs(['--port', 'abc'], () => undefined), /--port/);
      assert.throws(() => parseCliArgs(['--bogus'], () => undefined));
      assert.equal(parseCliArgs(['--active-orders', '30'], () => undefined).sandbox.activeOrders, 30);
      assert.deepEqual(parseCliArgs(['--pair-after-ms', '40000'], () => undefined).sandbox.venues, { multiwa: { autoPairAfterMs: 40000 } });
      assert.equal(parseCliArgs([], () => undefined).sandbox.venues, undefined);
    });

    it('seeds a merchant desk: --active-orders gives every account that many orders in progress, the same on every run', async () => {
      const runs = [];
      for (let i = 0; i < 2; i++) {
        const sb = await runCli(['--active-orders', '30', '--quiet'], { stdout: () => undefined, stderr: () => undefined });
        assert.ok(sb);
        try {
          const mexc = sb.venue('mexc');
          const orders = mexc.state().orders;
          for (const account of mexc.accounts()) {
            const active = orders.filter((o) => o.apiKey === account.credentials.apiKey && (o.state === 'NOT_PAID' || o.state === 'PAID'));
            assert.equal(active.length, 30, account.label);
            assert.equal(new Set(active.map((o) => o.conversationId)).size, 30, 'one conversation per order');
          }
          runs.push(orders.map((o) => [o.advOrderNo, o.counterpartyNickName, o.state]));
        } finally {
          await sb.close();
        }
      }
      assert.deepEqual(runs[0], runs[1], 'deterministic from the seed');
    });

    it('prints exactly one ready line with the info JSON and logs to stderr', async () => {
      const out: string[] = [];
      const err: string[] = [];
      const sb = await runCli(['--reply-delay-ms', '0'], { stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
      assert.ok(sb);
      try {
        assert.equal(out.length, 1);
        assert.ok(out[0]!.startsWith(READY_PREFIX));
        assert.deepEqual(JSON.parse(out[0]!.slice(READY_PREFIX.length)), JSON.parse(JSON.stringify(sb.info)));
        await callMexc(sb, '/api/v3/userDataStream');
        assert.ok(err.some((l) => l.includes('GET /api/v3/userDataStream -> 200')), err.join('\n'));
        assert.ok(!err.join('\n').includes(sb.venue('mexc').accounts()[0]!.credentials.secretKey));
      } finally {
        await sb.close();
      }
    });
  });
});
