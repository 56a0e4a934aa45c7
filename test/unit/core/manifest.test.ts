import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Commands, Settings, Views } from '../../../src/extension/host/constants';

interface SettingSchema {
  type?: string;
  scope?: string;
  default?: unknown;
  description?: string;
  markdownDescription?: string;
}

interface Manifest {
  extensionKind?: string[];
  capabilities?: {
    untrustedWorkspaces?: { supported: boolean | 'limited'; description?: string; restrictedConfigurations?: string[] };
    virtualWorkspaces?: boolean | { supported: boolean | 'limited'; description?: string };
  };
  contributes: {
    commands: { command: string; title: string }[];
    views: Record<string, { id: string }[]>;
    configuration: { properties: Record<string, SettingSchema> };
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
    const declared = Object.keys(manifest.contributes.configuration.properties).sort();
    const { section, ...names } = Settings;
    assert.deepEqual(declared, Object.values(names).map((name) => `${section}.${name}`).sort());
  });

  // The inbox neither reads nor runs workspace files, and no setting is taken from a workspace (all
  // are application-scoped, below), so Restricted Mode and virtual workspaces lose nothing.
  it('runs in Restricted Mode and in virtual workspaces', () => {
    assert.deepEqual(manifest.capabilities?.untrustedWorkspaces, { supported: true });
    assert.deepEqual(manifest.capabilities?.virtualWorkspaces, { supported: true });
  });

  // Preferring the UI side keeps one message store per machine and calls venues from the user's
  // own IP (keys bound to it) in SSH, WSL and container windows.
  it('runs on the user\'s machine in remote windows, and on the remote when it must', () => {
    assert.deepEqual(manifest.extensionKind, ['ui', 'workspace']);
  });

  it('takes no setting from a workspace: a cloned repository cannot redirect uploads or widen the pane\'s CSP', () => {
    const properties = manifest.contributes.configuration.properties;
    for (const name of [Settings.uploadPutUrl, Settings.uploadPublicUrl, Settings.extraMediaOrigins]) {
      assert.equal(properties[`${Settings.section}.${name}`]?.scope, 'application', name);
    }
    for (const [name, schema] of Object.entries(properties)) assert.equal(schema.scope, 'application', name);
  });

  it('types whole numbers as integers', () => {
    const properties = manifest.contributes.configuration.properties;
    for (const name of [Settings.timezoneOffset, Settings.uploadMaxMegabytes]) {
      const schema = properties[`${Settings.section}.${name}`];
      assert.equal(schema?.type, 'integer', name);
      assert.ok(Number.isInteger(schema.default), `${name} default`);
    }
    for (const [name, schema] of Object.entries(properties)) assert.notEqual(schema.type, 'number', `${name}: no setting here takes fractions`);
  });

  it('describes every setting in localized markdown', () => {
    for (const [name, schema] of Object.entries(manifest.contributes.configuration.properties)) {
      assert.equal(schema.description, undefined, `${name}: markdownDescription, not description`);
      const key = /^%(.+)%$/.exec(schema.markdownDescription ?? '')?.[1];
      assert.ok(key && nls[key], `${name}: markdownDescription is a package.nls.json placeholder with an entry`);
    }
  });
});
