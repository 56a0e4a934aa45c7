import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Commands, Settings, Views } from '../../../src/extension/host/constants';

interface SettingSchema {
  type?: string;
  scope?: string;
  default?: unknown;
  description?: string;
  markdownDescription?: string;
}

interface WalkthroughStep {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: string | Record<string, string>; altText?: string };
  completionEvents?: string[];
}

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
  description: string;
  icon?: string;
  repository?: { type: string; url: string };
  bugs?: { url: string };
  homepage?: string;
  extensionKind?: string[];
  capabilities?: {
    untrustedWorkspaces?: { supported: boolean | 'limited'; description?: string; restrictedConfigurations?: string[] };
    virtualWorkspaces?: boolean | { supported: boolean | 'limited'; description?: string };
  };
  contributes: {
    commands: { command: string; title: string; category?: string; icon?: string }[];
    keybindings: Keybinding[];
    menus: Record<string, MenuItem[]>;
    views: Record<string, { id: string }[]>;
    configuration: { properties: Record<string, SettingSchema> };
    walkthroughs?: { id: string; title: string; description: string; steps: WalkthroughStep[] }[];
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

/** The five venues as a user knows them; the store page and the description must name each. */
const VENUE_NAMES = [/MEXC/, /Binance/, /Bybit/, /WhatsApp|MultiWA/, /Mixin/];
/** Phrases that promise a venue later: every venue works, so none may appear. */
const NOT_YET = /to follow|coming|planned|soon|not yet supported/i;
/** Workbench commands a walkthrough button may run besides the extension's own. */
const WORKBENCH_COMMANDS = new Set(['workbench.action.openSettings', 'workbench.view.extension.venueChat']);

/** Every `command:` link in a markdown text: the command id and its decoded JSON arguments. */
function commandLinks(markdown: string): { id: string; args: unknown[] }[] {
  return [...markdown.matchAll(/\]\(command:([\w.]+)(?:\?([^)\s]+))?\)/g)].map(([, id, query]) => ({
    id: id!,
    args: query ? (JSON.parse(decodeURIComponent(query)) as unknown[]) : [],
  }));
}

/** Width and height from a PNG's IHDR chunk, or undefined when the bytes are not a PNG. */
function pngSize(bytes: Buffer): { width: number; height: number } | undefined {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(signature) || bytes.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('package.json: first run and the store page', () => {
  const root = join(__dirname, '..', '..', '..', '..');
  const rawManifest = readFileSync(join(root, 'package.json'), 'utf8');
  const manifest = JSON.parse(rawManifest) as Manifest;
  const nls = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
  const localized = (value: string): string => nls[/^%(.+)%$/.exec(value)?.[1] ?? ''] ?? value;
  const commands = new Set(manifest.contributes.commands.map((c) => c.command));
  const settings = new Set(Object.keys(manifest.contributes.configuration.properties));
  const views = new Set(Object.values(manifest.contributes.views).flat().map((v) => v.id));
  const walkthrough = manifest.contributes.walkthroughs?.[0];
  const step = (id: string): WalkthroughStep => {
    const found = walkthrough?.steps.find((s) => s.id === id);
    assert.ok(found, `walkthrough step ${id}`);
    return found;
  };
  const markdownOf = (s: WalkthroughStep): string => readFileSync(join(root, s.media.markdown!), 'utf8');

  it('has a localized entry for every %key% anywhere in package.json', () => {
    const keys = [...rawManifest.matchAll(/"%([^"%]+)%"/g)].map(([, key]) => key!);
    assert.ok(keys.length > 40, 'the manifest is localized through package.nls.json');
    const missing = keys.filter((key) => typeof nls[key] !== 'string' || nls[key].trim() === '');
    assert.deepEqual(missing, []);
  });

  it('contributes one walkthrough: sandbox, real account, notifications, keyboard', () => {
    assert.equal(manifest.contributes.walkthroughs?.length, 1);
    assert.ok(walkthrough!.title.startsWith('%') && walkthrough!.description.startsWith('%'), 'title and description through package.nls.json');
    assert.deepEqual(walkthrough!.steps.map((s) => s.id), ['trySandbox', 'addAccount', 'notifications', 'keyboard']);
    for (const s of walkthrough!.steps) {
      assert.match(s.title, /^%.+%$/, `${s.id}: title through package.nls.json`);
      assert.match(s.description, /^%.+%$/, `${s.id}: description through package.nls.json`);
    }
  });

  it('gives every step a markdown page under media/walkthrough/ that exists (and small images, if any)', () => {
    for (const s of walkthrough!.steps) {
      const page = s.media.markdown ?? '';
      assert.ok(page.startsWith('media/walkthrough/') && page.endsWith('.md'), `${s.id}: markdown under media/walkthrough/`);
      assert.ok(existsSync(join(root, page)), `${page} exists`);
      assert.ok(markdownOf(s).trim().length > 200, `${page} has content`);
      for (const [, image] of markdownOf(s).matchAll(/!\[[^\]]*\]\(([^)\s]+)/g)) {
        const file = join(root, 'media', 'walkthrough', image!);
        assert.ok(existsSync(file), `${page}: image ${image} exists`);
        assert.ok(statSync(file).size < 100_000, `${page}: image ${image} is under 100 KB`);
      }
    }
  });

  it('links only to commands that exist: the extension\'s contributed ones and named workbench commands', () => {
    for (const s of walkthrough!.steps) {
      for (const text of [localized(s.description), markdownOf(s)]) {
        for (const { id } of commandLinks(text)) {
          assert.ok(id.startsWith('venueChat.') ? commands.has(id) : WORKBENCH_COMMANDS.has(id), `${s.id}: command:${id} is contributed`);
        }
      }
    }
  });

  it('completes each step on events that name contributed commands, settings and views', () => {
    for (const s of walkthrough!.steps) {
      assert.ok(s.completionEvents?.length, `${s.id}: completionEvents`);
      for (const event of s.completionEvents!) {
        const [kind, target] = event.split(/:(.*)/s);
        if (kind === 'onCommand') assert.ok(commands.has(target!), `${s.id}: ${event} is a contributed command`);
        else if (kind === 'onSettingChanged') assert.ok(settings.has(target!), `${s.id}: ${event} is a contributed setting`);
        else if (kind === 'onView') assert.ok(views.has(target!), `${s.id}: ${event} is a contributed view`);
        else assert.fail(`${s.id}: unexpected completion event ${event}`);
      }
    }
  });

  it('sandbox step: a button that runs Try the Sandbox, done when it ran', () => {
    const s = step('trySandbox');
    assert.ok(commandLinks(localized(s.description)).some((l) => l.id === 'venueChat.trySandbox'));
    assert.ok(s.completionEvents?.includes('onCommand:venueChat.trySandbox'));
  });

  it('account step: a button for Add Account, and the key each venue needs', () => {
    const s = step('addAccount');
    assert.ok(commandLinks(localized(s.description)).some((l) => l.id === 'venueChat.addAccount'));
    assert.ok(s.completionEvents?.includes('onCommand:venueChat.addAccount'));
    const page = markdownOf(s);
    for (const venue of VENUE_NAMES) assert.match(page, venue);
    // The permissions the venues' account forms ask for (src/extension/venues/*/descriptor.ts).
    for (const need of ['P2P Deal Order', 'C2C', 'P2P', 'API key', 'keystore']) assert.ok(page.includes(need), need);
  });

  it('notifications step: a button opening the notification setting, done when it changes', () => {
    const s = step('notifications');
    const settingLinks = commandLinks(localized(s.description)).filter((l) => l.id === 'workbench.action.openSettings');
    assert.equal(settingLinks.length, 1, 'one button opens the settings');
    const query = settingLinks[0]!.args[0];
    assert.ok(typeof query === 'string' && [...settings].some((name) => name.startsWith(query)) && 'venueChat.notifications.incoming'.startsWith(query), `the settings search ${String(query)} shows venueChat.notifications.incoming`);
    assert.ok(s.completionEvents?.includes('onSettingChanged:venueChat.notifications.incoming'));
    assert.match(markdownOf(s), /venueChat\.notifications\.incoming/);
    assert.match(markdownOf(s), /Mute Notifications for This Chat/);
  });

  // Key chords are another branch's keybindings and the README's Keyboard section: naming them
  // here would go stale. Enter, Shift+Enter and the arrow keys are the tree's and the composer's own.
  it('keyboard step: the inbox view and the palette, with no key chords of its own', () => {
    const s = step('keyboard');
    assert.ok(s.completionEvents?.includes('onView:venueChat.inbox'));
    const page = markdownOf(s);
    assert.match(page, /Enter/);
    assert.match(page, /Command Palette/);
    assert.match(page, /Keyboard section of the project's README/);
    assert.doesNotMatch(page, /\b(Ctrl|Cmd|Alt|Option|Meta)\s*\+/i);
  });

  it('has a PNG icon of at least 128×128 (the marketplace refuses SVG icons)', () => {
    const icon = manifest.icon ?? '';
    assert.ok(icon.endsWith('.png'), `icon ${icon}`);
    const size = pngSize(readFileSync(join(root, icon)));
    assert.ok(size, `${icon} is a PNG`);
    assert.ok(size.width >= 128 && size.height >= 128, `${size.width}×${size.height}`);
    assert.equal(size.width, size.height, 'square');
  });

  it('names its repository, issue tracker and home page', () => {
    assert.equal(manifest.repository?.type, 'git');
    assert.match(manifest.repository?.url ?? '', /^https:\/\/github\.com\/[\w-]+\/[\w-]+(\.git)?$/);
    const repo = manifest.repository!.url.replace(/\.git$/, '');
    assert.equal(manifest.bugs?.url, `${repo}/issues`);
    assert.equal(manifest.homepage, `${repo}#readme`);
  });

  it('claims in its description only venues that work, and names all five', () => {
    const description = localized(manifest.description);
    assert.notEqual(description, manifest.description, 'description through package.nls.json');
    assert.doesNotMatch(description, NOT_YET);
    for (const venue of VENUE_NAMES) assert.match(description, venue);
  });

  it('store page: all five venues as working, and the screenshot by an address the marketplace can load', () => {
    const page = readFileSync(join(root, 'docs', 'marketplace.md'), 'utf8');
    assert.doesNotMatch(page, NOT_YET);
    for (const venue of VENUE_NAMES) assert.match(page, venue);
    // vsce rewrites relative links against the repository root, not docs/, and the .vsix leaves
    // the screenshot out (.vscodeignore): so every image is an https URL of a file in this repository.
    const images = [...page.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map(([, url]) => url!);
    const repo = manifest.repository!.url.replace(/\.git$/, '');
    assert.ok(images.includes(`${repo}/raw/HEAD/media/screenshot.png`), 'shows media/screenshot.png');
    for (const url of images) {
      assert.ok(url.startsWith(`${repo}/raw/HEAD/`), `${url}: from the repository`);
      assert.ok(existsSync(join(root, url.slice(`${repo}/raw/HEAD/`.length))), `${url}: the file is in the repository`);
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
