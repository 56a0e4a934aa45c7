import assert from 'node:assert/strict';
import { readAccountRecords, readCredentials } from '../../../src/extension/host/accountRecord';

const record = { id: 'a1', venue: 'mexc', label: 'MEXC main', endpoints: { rest: 'https://api.mexc.com' }, createdAt: 1_700_000_000_000 };

describe('saved accounts as read back at activation', () => {
  it('reads records with their optional fields and drops fields it does not know', () => {
    const full = { ...record, id: 'a2', venue: 'bybit', preset: 'testnet', settings: { chatMode: 'auto', n: 3, on: true }, sandbox: true, extra: 'dropped' };
    assert.deepEqual(readAccountRecords([record, full]), [record, { ...record, id: 'a2', venue: 'bybit', preset: 'testnet', settings: { chatMode: 'auto', n: 3, on: true }, sandbox: true }]);
  });

  it('reads nothing from a list with one unreadable record, or from something that is not a list', () => {
    for (const bad of [
      { ...record, id: '' },
      { ...record, venue: 'kraken' },
      { ...record, endpoints: { rest: 1 } },
      { ...record, settings: { nested: {} } },
      { ...record, sandbox: 'yes' },
      { ...record, createdAt: '2024' },
      { ...record, preset: 7 },
      null,
      [record],
    ]) {
      assert.deepEqual(readAccountRecords([record, bad]), [], JSON.stringify(bad));
    }
    assert.deepEqual(readAccountRecords(undefined), []);
    assert.deepEqual(readAccountRecords({ 0: record }), []);
    assert.deepEqual(readAccountRecords([]), []);
  });

  it('reads keys stored as a JSON object of strings, and nothing else', () => {
    assert.deepEqual(readCredentials('{"apiKey":"k","secretKey":"s"}'), { apiKey: 'k', secretKey: 's' });
    for (const bad of ['{"apiKey":1}', '["k"]', 'null', '"k"', '{not json']) assert.equal(readCredentials(bad), undefined, bad);
  });
});
