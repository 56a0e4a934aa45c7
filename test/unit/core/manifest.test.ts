import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Commands, Settings, Views } from '../../../src/extension/host/constants';

interface Manifest {
  contributes: {
    commands: { command: string; title: string }[];
    views: Record<string, { id: string }[]>;
    configuration: { properties: Record<string, unknown> };
  };
}

// Command ids, view ids and setting names live in constants.ts and must match package.json.
describe('package.json contributions', () => {
  const root = join(__dirname, '..', '..', '..', '..');
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
  const nls = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;

  it('declares exactly the commands the code registers', () => {
    const declared = manifest.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(declared, Object.values(Commands).sort());
  });

  it('has a localized title for every command', () => {
    for (const c of manifest.contributes.commands) {
      const key = /^%(.+)%$/.exec(c.title)?.[1];
      assert.ok(key && nls[key], `missing package.nls.json entry for ${c.command}`);
    }
  });

  it('declares the inbox view and the settings the code reads', () => {
    assert.ok(manifest.contributes.views[Views.container]?.some((v) => v.id === Views.inbox));
    for (const name of [Settings.timezoneOffset, Settings.notifyIncoming]) {
      assert.ok(`${Settings.section}.${name}` in manifest.contributes.configuration.properties, name);
    }
  });
});
