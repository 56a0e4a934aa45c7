// A setting changed in VS Code applies without a reload: LiveSetting re-reads the value when VS Code
// reports a change to it, fires once per effective change, and lets go of VS Code's event when
// disposed. Run with the `vscode` stand-in; its configuration is replaced by one the test controls.
import assert from 'node:assert/strict';
import type * as LiveSettingModule from '../../../src/extension/host/liveSetting';
import { createStandIn, registerStandIn } from '../helpers/vscodeStandIn';

describe('LiveSetting: settings applied without a reload', () => {
  let unregister: () => void;
  let live: typeof LiveSettingModule;
  /** The user's settings as VS Code would answer `getConfiguration('venueChat').get(name)`. */
  let values: Record<string, unknown>;
  let listeners: Set<(e: { affectsConfiguration(section: string): boolean }) => void>;

  /** What VS Code does after a settings write: tells every listener which sections it touched. */
  function change(name: string, value: unknown): void {
    values[name] = value;
    const event = { affectsConfiguration: (section: string) => `venueChat.${name}` === section || `venueChat.${name}`.startsWith(`${section}.`) };
    for (const l of [...listeners]) l(event);
  }

  before(() => {
    const standIn = createStandIn();
    standIn.module.workspace = {
      getConfiguration: (section: string) => {
        assert.equal(section, 'venueChat');
        return { get: (name: string) => values[name] };
      },
      onDidChangeConfiguration: (listener: (e: { affectsConfiguration(section: string): boolean }) => void) => {
        listeners.add(listener);
        return { dispose: () => listeners.delete(listener) };
      },
    };
    unregister = registerStandIn(standIn.module);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    live = require('../../../src/extension/host/liveSetting') as typeof LiveSettingModule;
  });
  after(() => unregister());
  beforeEach(() => {
    values = {};
    listeners = new Set();
  });

  it('reads the value at start and again when that setting changes, telling listeners once', () => {
    values['mexc.timezoneOffsetMinutes'] = 480;
    const offset = new live.LiveSetting('mexc.timezoneOffsetMinutes', live.integerIn(-720, 840));
    const heard: (number | undefined)[] = [];
    offset.onDidChange((v) => heard.push(v));
    assert.equal(offset.value, 480);
    change('mexc.timezoneOffsetMinutes', 180);
    assert.equal(offset.value, 180);
    change('mexc.timezoneOffsetMinutes', 180); // written again, same value: nothing to redo
    change('notifications.incoming', 'off'); // another setting
    assert.deepEqual(heard, [180]);
    offset.dispose();
  });

  it('compares lists by content, so rewriting the same origins does not rebuild the panes', () => {
    values['media.extraOrigins'] = ['https://a.example'];
    const origins = new live.LiveSetting('media.extraOrigins', live.stringList);
    let heard = 0;
    origins.onDidChange(() => heard++);
    change('media.extraOrigins', ['https://a.example']);
    assert.equal(heard, 0);
    change('media.extraOrigins', ['https://a.example', 'https://b.example']);
    assert.deepEqual(origins.value, ['https://a.example', 'https://b.example']);
    assert.equal(heard, 1);
    origins.dispose();
  });

  it('lets go of VS Code\'s event when disposed', () => {
    const target = new live.LiveSetting('mediaUpload.putUrl', live.trimmedString);
    assert.equal(listeners.size, 1);
    target.dispose();
    assert.equal(listeners.size, 0);
  });

  it('keeps only values the code can use from a hand-typed settings.json', () => {
    const read = live.integerIn(-720, 840);
    const config = (value: unknown) => ({ get: () => value }) as unknown as Parameters<typeof read>[0];
    assert.equal(read(config(330), 'x'), 330);
    assert.equal(read(config(480.5), 'x'), undefined, 'not a whole number: the adapter default applies');
    assert.equal(read(config('480'), 'x'), undefined);
    assert.equal(read(config(100000), 'x'), undefined);
    assert.deepEqual(live.stringList(config(['https://a.example', 3, null]), 'x'), ['https://a.example']);
    assert.deepEqual(live.stringList(config('https://a.example'), 'x'), []);
    assert.equal(live.trimmedString(config(42), 'x'), '');
  });
});
