// The saved account list against a globalState that behaves like VS Code's: the extension host's
// copy is replaced wholesale when the window reports the entry changed, and the report of an
// earlier write can arrive after a later write.
import assert from 'node:assert/strict';
import type { AccountRecord } from '../../../src/extension/host/accountRecord';
import { AccountRecordList, type ListBackend } from '../../../src/extension/host/accountRecordList';

const KEY = 'venueChat.accounts.v1';

/** VS Code's extension memento: `update` changes the copy at once; `echo(n)` is the window's late report of write n. */
class EchoingMemento implements ListBackend {
  private copy: Record<string, unknown> = {};
  readonly writes: Record<string, unknown>[] = [];

  get(key: string): unknown {
    return structuredClone(this.copy[key]);
  }

  update(key: string, value: unknown): Promise<void> {
    this.copy[key] = structuredClone(value);
    this.writes.push(structuredClone(this.copy));
    return Promise.resolve();
  }

  /** The window reports write `n` (0-based): the copy becomes what it was then. */
  echo(n: number): void {
    this.copy = structuredClone(this.writes[n]!);
  }

  /** Another window wrote the entry. */
  external(key: string, value: unknown): void {
    this.copy = { ...this.copy, [key]: structuredClone(value) };
  }

  saved(): string[] {
    return ((this.copy[KEY] as AccountRecord[] | undefined) ?? []).map((r) => r.id);
  }
}

const account = (id: string, label = id): AccountRecord => ({ id, venue: 'mexc', label, endpoints: {}, createdAt: 1 });
const ids = (records: readonly AccountRecord[]) => records.map((r) => r.id);

describe('saved account list (globalState with late echoes)', () => {
  it('an account added while the echo of an earlier write is late is kept, and so is the next one', async () => {
    const memento = new EchoingMemento();
    const list = new AccountRecordList(memento, KEY);
    await list.put(account('a')); // write 0
    await list.put(account('b')); // write 1
    memento.echo(0); // the report of write 0 comes late: the copy has "a" only
    assert.deepEqual(ids(list.list()), ['a', 'b'], 'b is still listed');
    await list.put(account('c')); // a read-modify-write in that moment
    assert.deepEqual(memento.saved(), ['a', 'b', 'c'], 'b was not written away');
    assert.deepEqual(ids(list.list()), ['a', 'b', 'c']);
  });

  it('a removed account stays removed when a late echo still has it, and is not written back', async () => {
    const memento = new EchoingMemento();
    const list = new AccountRecordList(memento, KEY);
    await list.put(account('a'));
    await list.put(account('b'));
    await list.remove('a'); // write 2
    memento.echo(1); // still has "a"
    assert.equal(list.get('a'), undefined);
    await list.put(account('c'));
    assert.deepEqual(memento.saved(), ['b', 'c']);
  });

  it('rewrites a record in place and keeps the order accounts were added in', async () => {
    const memento = new EchoingMemento();
    const list = new AccountRecordList(memento, KEY);
    for (const id of ['a', 'b', 'c']) await list.put(account(id));
    await list.put(account('b', 'renamed'));
    memento.echo(2); // the copy has the old "b"
    assert.deepEqual(list.list().map((r) => `${r.id}:${r.label}`), ['a:a', 'b:renamed', 'c:c']);
  });

  it('shows accounts another window added, and keeps them when this one writes', async () => {
    const memento = new EchoingMemento();
    const list = new AccountRecordList(memento, KEY);
    await list.put(account('a'));
    memento.external(KEY, [account('a'), account('x')]);
    assert.deepEqual(ids(list.list()), ['a', 'x']);
    await list.put(account('b'));
    assert.deepEqual(memento.saved(), ['a', 'x', 'b']);
  });

  it('reads the accounts saved by an earlier session, and a removal of one of them sticks', async () => {
    const memento = new EchoingMemento();
    memento.external(KEY, [account('old1'), account('old2')]);
    const list = new AccountRecordList(memento, KEY);
    assert.deepEqual(ids(list.list()), ['old1', 'old2']);
    await list.remove('old1');
    memento.external(KEY, [account('old1'), account('old2')]); // a late echo of the start
    assert.deepEqual(ids(list.list()), ['old2']);
  });
});
