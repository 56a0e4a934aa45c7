import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Commands, Settings, Views } from '../../../src/extension/host/constants';

interface Keybinding {
  command: string;
  key: string;
  mac?: string;
  linux?: string;
  win?: string;
  when?: string;
  args?: unknown;
}

interface MenuItem {
  command: string;
  when?: string;
  group?: string;
}

interface Manifest {
  contributes: {
    commands: { command: string; title: string; category?: string; icon?: string }[];
    keybindings: Keybinding[];
    menus: Record<string, MenuItem[]>;
    views: Record<string, { id: string }[]>;
    configuration: { properties: Record<string, unknown> };
  };
}

/** The key a binding has on each platform (VS Code falls back to `key` where no platform key is given). */
function keysOf(b: Keybinding): Record<'mac' | 'linux' | 'win', string> {
  const norm = (k: string) => k.toLowerCase().split(' ').map((part) => part.split('+').sort().join('+')).join(' ');
  return { mac: norm(b.mac ?? b.key), linux: norm(b.linux ?? b.key), win: norm(b.win ?? b.key) };
}

/**
 * Whether two `when` clauses can never hold at once: both are conjunctions (no `||`) and one
 * requires `k == v` where the other requires `k != v`, `k == w` or `!k`. Anything it cannot prove
 * disjoint counts as overlapping.
 */
export function provablyDisjoint(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined || a.includes('||') || b.includes('||')) return false;
  type Term = { key: string; op: '==' | '!=' | 'not' | 'truthy'; value?: string };
  const terms = (when: string): Term[] =>
    when.split('&&').map((raw) => {
      const t = raw.trim();
      const m = /^([\w.]+)\s*(==|!=)\s*'?([^']*)'?$/.exec(t);
      if (m) return { key: m[1]!, op: m[2] as '==' | '!=', value: m[3]! };
      return t.startsWith('!') ? { key: t.slice(1).trim(), op: 'not' } : { key: t, op: 'truthy' };
    });
  const clash = (x: Term, y: Term): boolean => {
    if (x.key !== y.key) return false;
    if (x.op === '==' && y.op === '!=') return x.value === y.value;
    if (x.op === '==' && y.op === '==') return x.value !== y.value;
    if (x.op === '==' && y.op === 'not') return x.value !== '';
    if (x.op === 'truthy' && y.op === 'not') return true;
    return false;
  };
  const ta = terms(a);
  const tb = terms(b);
  return ta.some((x) => tb.some((y) => clash(x, y) || clash(y, x)));
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

  const keybindings = manifest.contributes.keybindings ?? [];
  const menus = manifest.contributes.menus;
  const palette = new Map((menus['commandPalette'] ?? []).map((m) => [m.command, m.when]));
  const CHAT_PANE = "activeWebviewPanelId == 'venueChat.chat'";

  it('binds the keyboard commands of the inbox and the chat pane', () => {
    const bound = new Set(keybindings.map((k) => k.command));
    for (const command of [Commands.focusInbox, Commands.nextUnread, Commands.replyToLatestUnread, Commands.markRead, Commands.sendMessage]) assert.ok(bound.has(command), `${command} has a keybinding`);
  });

  it('gives every keybinding a when clause, a mac key and a command the code registers', () => {
    const registered = new Set<string>(Object.values(Commands));
    const declared = new Set(manifest.contributes.commands.map((c) => c.command));
    for (const k of keybindings) {
      assert.ok(k.when && k.when.trim() !== '', `${k.command} (${k.key}) has a when clause`);
      assert.ok(k.mac, `${k.command} (${k.key}) has a mac key`);
      assert.ok(registered.has(k.command) && declared.has(k.command), `${k.command} is registered and declared`);
    }
  });

  it('never binds one key twice where both bindings could apply', () => {
    for (const [i, a] of keybindings.entries()) {
      for (const b of keybindings.slice(i + 1)) {
        const ka = keysOf(a);
        const kb = keysOf(b);
        for (const platform of ['mac', 'linux', 'win'] as const) {
          if (ka[platform] !== kb[platform]) continue;
          assert.ok(provablyDisjoint(a.when, b.when), `${platform} ${ka[platform]}: ${a.command} (${a.when}) and ${b.command} (${b.when}) overlap`);
        }
      }
    }
  });

  it('the overlap check tells disjoint contexts from overlapping ones', () => {
    assert.equal(provablyDisjoint("focusedView == 'venueChat.inbox'", "activeWebviewPanelId == 'venueChat.chat' && focusedView != 'venueChat.inbox'"), true);
    assert.equal(provablyDisjoint("focusedView == 'venueChat.inbox'", "activeWebviewPanelId == 'venueChat.chat' && !focusedView"), true);
    assert.equal(provablyDisjoint('venueChat.hasAccounts', '!venueChat.hasAccounts'), true);
    assert.equal(provablyDisjoint('venueChat.hasAccounts', "activeWebviewPanelId == 'venueChat.chat'"), false);
    assert.equal(provablyDisjoint("focusedView == 'a' || x", "focusedView == 'b'"), false);
  });

  it('sends from the chat pane only where its composer is in front, and acts on the tree selection from the tree', () => {
    const send = keybindings.filter((k) => k.command === Commands.sendMessage);
    assert.ok(send.length > 0 && send.every((k) => k.when?.includes(CHAT_PANE) && k.args === undefined), 'Send Message is bound in the chat pane only, without arguments (the pane sends its composer)');
    const fromTree = keybindings.filter((k) => k.when?.includes("focusedView == 'venueChat.inbox'"));
    for (const k of fromTree.filter((b) => b.command === Commands.markRead)) assert.deepEqual(k.args, { from: 'selection' }, 'Mark Read in the tree acts on the selected row');
  });

  it('offers Show Log (and reconnect, update keys, remove) on account rows', () => {
    const onAccounts = (menus['view/item/context'] ?? []).filter((m) => m.when?.includes('viewItem =~ /^account/'));
    for (const command of [Commands.showLog, Commands.reconnect, Commands.updateKeys, Commands.removeAccount]) {
      assert.ok(onAccounts.some((m) => m.command === command), `${command} on account rows`);
    }
  });

  it('puts the chat pane actions in its title bar, scoped to the chat pane, with icons for the inline ones', () => {
    const title = menus['editor/title'] ?? [];
    for (const command of [Commands.markRead, Commands.muteConversation, Commands.unmuteConversation, Commands.reconnect, Commands.showLog]) {
      assert.ok(title.some((m) => m.command === command), `${command} in the chat pane's title bar`);
    }
    const icons = new Map(manifest.contributes.commands.map((c) => [c.command, c.icon]));
    for (const m of title) {
      assert.ok(m.when?.includes(CHAT_PANE), `${m.command} shows only over a chat pane`);
      if (m.group?.startsWith('navigation')) assert.match(icons.get(m.command) ?? '', /^\$\([\w-]+\)$/, `${m.command} has an icon`);
    }
  });

  it('hides from the palette what makes no sense in the current state', () => {
    for (const command of [Commands.removeAccount, Commands.updateKeys, Commands.accountSettings, Commands.reconnect, Commands.markRead, Commands.nextUnread, Commands.replyToLatestUnread]) {
      assert.equal(palette.get(command), 'venueChat.hasAccounts', `${command} only with an account`);
    }
    for (const command of [Commands.sendMessage, Commands.sendLocation, Commands.sendContact, Commands.sendSticker]) {
      assert.ok(palette.get(command)?.includes(CHAT_PANE), `${command} only while a chat pane is active`);
    }
    for (const command of [Commands.statusMenu, Commands.openSelectedConversation, Commands.downloadAttachment]) assert.equal(palette.get(command), 'false', `${command} is internal`);
    for (const [command, when] of palette) assert.ok(when !== undefined && when !== '', `${command} has a when clause`);
  });

  it('gives every command the category the others have', () => {
    for (const c of manifest.contributes.commands) assert.equal(c.category, 'Venue Chat', c.command);
  });
});
