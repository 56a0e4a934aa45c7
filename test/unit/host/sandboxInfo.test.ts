// The extension's side of the sandbox: it reads the ready line the real sandbox prints and adds
// the accounts of every venue it supports, skipping the others.
import * as assert from 'node:assert/strict';
import { READY_PREFIX, runCli } from '../../../sandbox/cli';
import { parseSandboxInfo, planSandboxAccounts, SANDBOX_READY_PREFIX, sandboxEndpointsFor, type SandboxInfo } from '../../../src/extension/host/sandboxInfo';
import { venueDescriptor } from '../../../src/extension/venues/registry';

const supported = (venue: Parameters<typeof venueDescriptor>[0]): boolean => venueDescriptor(venue).supported;

describe('sandbox info as the extension reads it', () => {
  it('reads the real ready line and plans every MEXC account with the endpoints the adapter takes', async () => {
    const out: string[] = [];
    const sb = await runCli(['--quiet'], { stdout: (l) => out.push(l), stderr: () => undefined });
    assert.ok(sb);
    try {
      assert.equal(SANDBOX_READY_PREFIX, READY_PREFIX, 'both sides agree on the prefix');
      const line = out.find((l) => l.startsWith(SANDBOX_READY_PREFIX))!;
      const info = parseSandboxInfo(line.slice(SANDBOX_READY_PREFIX.length));
      assert.ok(info);
      assert.equal(info.control, sb.info.control);
      assert.equal(info.unreadableAccounts, 0);
      const plan = planSandboxAccounts(info, supported);
      const mexc = sb.venue('mexc');
      assert.deepEqual(
        plan.add.filter((a) => a.venue === 'mexc').map((a) => [a.venue, a.label, a.credentials, a.endpoints]),
        mexc.accounts().map((a) => ['mexc', a.label, a.credentials, { rest: mexc.restUrl, ws: mexc.wsUrl }]),
      );
      // Every other venue of the sandbox is added exactly when the extension has its adapter.
      assert.deepEqual(plan.skippedVenues, sb.venueIds.filter((v) => !supported(v)));
      assert.deepEqual([...new Set(plan.add.map((a) => a.venue))], sb.venueIds.filter((v) => supported(v)));
      // Every endpoint the MEXC descriptor asks for is there, so the verified path uses the sandbox, not production.
      for (const account of plan.add) for (const e of venueDescriptor(account.venue).endpoints) assert.ok(account.endpoints[e.key], `${e.key} present`);
    } finally {
      await sb.close();
    }
  });

  it('skips venues the extension cannot add yet and venues it does not know, once each', () => {
    const info = parseSandboxInfo(JSON.stringify({
      control: 'http://127.0.0.1:1',
      venues: {},
      accounts: [
        { venue: 'binance', label: 'Sandbox Binance', credentials: { apiKey: 'k', secretKey: 's' }, endpoints: { rest: 'http://127.0.0.1:2' } },
        { venue: 'mexc', label: 'Sandbox MEXC', credentials: { apiKey: 'k', secretKey: 's' }, endpoints: { rest: 'http://127.0.0.1:3', ws: 'ws://127.0.0.1:3/ws' } },
        { venue: 'kraken', label: 'Sandbox Kraken', credentials: {}, endpoints: {} },
        { venue: 'binance', label: 'Sandbox Binance 2', credentials: { apiKey: 'k', secretKey: 's' }, endpoints: { rest: 'http://127.0.0.1:2' } },
        { venue: 'multiwa', label: 'Sandbox gateway', credentials: { apiKey: 'k' }, endpoints: { rest: 'http://127.0.0.1:4' }, settings: { profileId: 'p1' } },
        { venue: 'mixin', label: 'Sandbox bot', credentials: { keystore: '{}' }, endpoints: {} },
      ],
    }))!;
    const plan = planSandboxAccounts(info, supported);
    assert.deepEqual(plan.add.map((a) => a.label), ['Sandbox Binance', 'Sandbox MEXC', 'Sandbox Binance 2', 'Sandbox gateway', 'Sandbox bot']);
    assert.equal(plan.add.at(-2)?.settings?.profileId, 'p1', 'settings travel with the account');
    assert.deepEqual(plan.skippedVenues, ['kraken']);
    assert.deepEqual(planSandboxAccounts(info, (venue) => venue !== 'mixin').skippedVenues, ['kraken', 'mixin'], 'a venue without an adapter is skipped once');
    const all = planSandboxAccounts(info, () => true);
    assert.deepEqual(all.add.map((a) => a.venue), ['binance', 'mexc', 'binance', 'multiwa', 'mixin'], 'venues with an adapter are added, in the sandbox order');
    assert.deepEqual(all.add.at(-2)!.settings, { profileId: 'p1' });
    assert.deepEqual(all.skippedVenues, ['kraken']);
  });

  it('keeps the readable accounts of a line with unreadable ones, and rejects a line that is not sandbox info', () => {
    const info = parseSandboxInfo(JSON.stringify({
      control: 'http://127.0.0.1:1',
      accounts: [{ venue: 'mexc', label: '', credentials: {}, endpoints: {} }, { venue: 'mexc', label: 'ok', credentials: { apiKey: 'k' }, endpoints: { rest: 'r' } }, 'junk', { venue: 'mexc', label: 'x', credentials: { apiKey: 1 }, endpoints: {} }],
    }))!;
    assert.deepEqual(info.accounts.map((a) => a.label), ['ok']);
    assert.equal(info.unreadableAccounts, 3);
    assert.equal(parseSandboxInfo('{not json'), undefined);
    assert.equal(parseSandboxInfo(JSON.stringify({ accounts: [] })), undefined);
    assert.equal(parseSandboxInfo(JSON.stringify({ control: 'x', accounts: {} })), undefined);
  });

  it('re-points a saved sandbox account at the running sandbox by venue and label', () => {
    const info: SandboxInfo = {
      control: 'http://127.0.0.1:1',
      unreadableAccounts: 0,
      accounts: [
        { venue: 'mexc', label: 'one', credentials: {}, endpoints: { rest: 'http://127.0.0.1:5' } },
        { venue: 'mexc', label: 'two', credentials: {}, endpoints: { rest: 'http://127.0.0.1:6' } },
        { venue: 'binance', label: 'two', credentials: {}, endpoints: { rest: 'http://127.0.0.1:7' } },
      ],
    };
    assert.deepEqual(sandboxEndpointsFor(info, 'mexc', 'two'), { rest: 'http://127.0.0.1:6' });
    assert.deepEqual(sandboxEndpointsFor(info, 'binance', 'two'), { rest: 'http://127.0.0.1:7' });
    assert.deepEqual(sandboxEndpointsFor(info, 'mexc', 'renamed'), { rest: 'http://127.0.0.1:5' }, 'the venue\'s first account when the label is gone');
    assert.equal(sandboxEndpointsFor(info, 'bybit', 'one'), undefined);
  });
});
