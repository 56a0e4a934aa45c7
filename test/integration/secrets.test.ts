// Secrets never leave SecretStorage (docs/architecture.md, Trust boundaries), checked end to end in
// a real VS Code: a session on all five venues (keys added through Add Account, connect, receive,
// send, an attachment, the chat panes, paging back, wrong keys, faults whose error replies and
// close reasons quote keys, signatures, listen keys and JWTs, reconnects, one key update), then
// every place data leaves the extension is read back and searched for each secret, each value the
// venues echoed, their encodings and any 12-character piece of them: the log files, the settings,
// globalState and workspaceState, every file under the extension's storage, every connection-state
// reason shown (tree, status bar, pane) and every message posted to a chat pane.
import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { readFile, readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { VenueChatApi } from '../../src/extension/extension';
import { attachFromDisk } from './attachFromDisk';
import { driver } from './driver';
import { activateWithSandbox } from './extensionUnderTest';
import { control, until, type SandboxReady } from './sandbox';
import { SecretScanner, jwtSignature, pemBody, type Hit, type Scanned, type Secret } from './secretScan';

type Venue = 'mexc' | 'binance' | 'bybit' | 'multiwa' | 'mixin';
const VENUES: readonly Venue[] = ['mexc', 'binance', 'bybit', 'multiwa', 'mixin'];
type ListedAccount = SandboxReady['accounts'][number];

interface Added {
  readonly venue: Venue;
  readonly id: string;
  readonly conversationId: string;
}

/** Every file under `dir` (missing folders are empty). */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(path)));
    else if (e.isFile()) out.push(path);
  }
  return out;
}

/** A file's text both ways a secret could sit in it: as UTF-8 and byte for byte (binary media). */
async function fileText(path: string): Promise<string> {
  const bytes = await readFile(path);
  const utf8 = bytes.toString('utf8');
  return utf8.includes('\uFFFD') ? `${utf8}\n${bytes.toString('latin1')}` : utf8;
}

describe('Secrets never leak: a session on all five venues, every surface scanned', function () {
  this.timeout(180000);
  let api: VenueChatApi;
  let sandbox: { child: ChildProcess; info: SandboxReady };
  const added = new Map<Venue, Added>();
  const extraAccounts: string[] = [];
  const posted: Scanned[] = [];
  const reasons = new Set<string>();
  const wrongSecrets: string[] = [];
  let watch: vscode.Disposable | undefined;
  let poll: NodeJS.Timeout | undefined;

  const controlOf = (venue: Venue) => sandbox.info.venues[venue]!.control;
  const listed = (venue: Venue): ListedAccount[] => sandbox.info.accounts.filter((a) => a.venue === venue);
  const stateOf = (id: string) => api.accounts().find((a) => a.id === id)?.state;
  const online = (id: string, what: string) => until(() => stateOf(id)?.kind === 'online' || undefined, `${what} online`, 30000);
  const addAccount = async (venue: Venue, index: number, label: string): Promise<string> => {
    const a = listed(venue)[index]!;
    const id = await vscode.commands.executeCommand<string>('venueChat.addAccount', { venue, label, credentials: a.credentials, endpoints: a.endpoints, ...(a.settings ? { settings: a.settings } : {}) });
    assert.ok(id, `${label} added`);
    return id;
  };
  const reconnect = async (id: string): Promise<void> => {
    await vscode.commands.executeCommand('venueChat.reconnect', { accountId: id });
  };
  /**
   * The venue's errors quote the request's credentials (its `echoSecrets` fault) while the account
   * restarts: the refusal becomes the account's auth-error reason, shown in the views. Then the
   * fault is lifted and the account reconnects.
   */
  const echoFault = async (venue: Venue, id: string): Promise<void> => {
    await control(controlOf(venue), '/faults', { echoSecrets: 3 });
    await reconnect(id);
    await until(() => stateOf(id)?.kind === 'auth-error' || undefined, `${venue}: the echoing refusal shown as an auth error`, 15000);
    await control(controlOf(venue), '/faults', { echoSecrets: 0 });
    await reconnect(id);
    await online(id, `${venue} after the echo`);
  };

  before(async () => {
    ({ api, sandbox } = await activateWithSandbox());
    for (const venue of VENUES) assert.ok(sandbox.info.venues[venue], `the sandbox runs ${venue}`);
    watch = api.onDidPostToWebview(({ target, message }) => posted.push({ where: `pane ${target.accountId}/${target.conversationId}`, text: JSON.stringify(message) }));
    // Every reason the views show goes through the same redactState the api's accounts() uses.
    poll = setInterval(() => {
      for (const a of api.accounts()) if ('reason' in a.state) reasons.add(`${a.label}: ${a.state.kind}: ${a.state.reason}`);
    }, 50);
  });

  after(async () => {
    watch?.dispose();
    clearInterval(poll);
    for (const id of [...[...added.values()].map((a) => a.id), ...extraAccounts]) {
      if (api.accounts().some((a) => a.id === id)) await vscode.commands.executeCommand('venueChat.removeAccount', { accountId: id });
    }
    sandbox?.child.kill();
  });

  it('adds an account on each venue through Add Account, receives and sends', async () => {
    // MEXC: an active order's chat socket, a counterparty message, our reply.
    const mexcId = await addAccount('mexc', 0, 'Secrets MEXC');
    await online(mexcId, 'MEXC');
    const mexcKey = listed('mexc')[0]!.credentials['apiKey']!;
    const order = (await control<{ orders: { apiKey: string; state: string; conversationId: number }[] }>(controlOf('mexc'), '/state')).orders.find((o) => o.apiKey === mexcKey && (o.state === 'PAID' || o.state === 'NOT_PAID'))!;
    added.set('mexc', { venue: 'mexc', id: mexcId, conversationId: String(order.conversationId) });
    await until(async () => (await control<{ conversationId: number }[]>(controlOf('mexc'), '/sockets')).some((s) => s.conversationId === order.conversationId) || undefined, 'a MEXC chat socket');
    await control(controlOf('mexc'), '/inject', { conversationId: order.conversationId, content: 'secrets test: hello from MEXC' });

    const binanceId = await addAccount('binance', 0, 'Secrets Binance');
    await online(binanceId, 'Binance');
    const binanceOrders = await control<{ orderNo: string; messages: number }[]>(controlOf('binance'), '/orders?account=0');
    const longChat = binanceOrders.reduce((a, b) => (b.messages > a.messages ? b : a));
    added.set('binance', { venue: 'binance', id: binanceId, conversationId: longChat.orderNo });
    await control(controlOf('binance'), '/inject', { orderNo: longChat.orderNo, content: 'secrets test: hello from Binance' });

    // Bybit with both key types: an HMAC secret and an RSA private key.
    const bybitId = await addAccount('bybit', 0, 'Secrets Bybit HMAC');
    const bybitRsa = await addAccount('bybit', 1, 'Secrets Bybit RSA');
    extraAccounts.push(bybitRsa);
    await online(bybitId, 'Bybit HMAC');
    await online(bybitRsa, 'Bybit RSA');
    const bybitOrder = (await control<{ orderId: string; status: number }[]>(controlOf('bybit'), '/orders?account=0')).find((o) => o.status === 10)!;
    added.set('bybit', { venue: 'bybit', id: bybitId, conversationId: bybitOrder.orderId });

    // MultiWA with an API key, and one with an e-mail login (JWTs); the latter waits for pairing.
    const multiwaId = await addAccount('multiwa', 0, 'Secrets WhatsApp');
    const multiwaLogin = await addAccount('multiwa', 1, 'Secrets WhatsApp login');
    extraAccounts.push(multiwaLogin);
    await online(multiwaId, 'MultiWA');
    await until(() => stateOf(multiwaLogin)?.kind === 'pairing' || undefined, 'the login account asks for pairing');
    const chat = (await control<{ id: string }[]>(controlOf('multiwa'), '/conversations?account=0'))[0]!;
    added.set('multiwa', { venue: 'multiwa', id: multiwaId, conversationId: chat.id });
    await control(controlOf('multiwa'), '/inject', { conversationId: chat.id, text: 'secrets test: hello from WhatsApp' });

    const mixinId = await addAccount('mixin', 0, 'Secrets Mixin bot');
    await online(mixinId, 'Mixin');
    const mixinChat = await until(() => api.conversations(mixinId)[0], 'a Mixin conversation');
    added.set('mixin', { venue: 'mixin', id: mixinId, conversationId: mixinChat.conversationId });

    for (const a of added.values()) {
      const text = `secrets test: reply on ${a.venue} ${Date.now()}`;
      await vscode.commands.executeCommand('venueChat.sendMessage', { accountId: a.id, conversationId: a.conversationId, text });
      await until(() => api.messages(a.id, a.conversationId).find((m) => m.text === text && ['confirmed', 'delivered', 'read'].includes(m.status ?? '')), `${a.venue}: the reply confirmed`, 30000);
    }
    await until(() => api.messages(mexcId, String(order.conversationId)).some((m) => m.text === 'secrets test: hello from MEXC') || undefined, 'the MEXC message stored');
    await until(() => api.messages(multiwaId, chat.id).some((m) => m.text === 'secrets test: hello from WhatsApp') || undefined, 'the WhatsApp message stored');
  });

  it('opens a chat pane on each venue, pages back and sends an attachment', async () => {
    for (const a of VENUES.map((v) => added.get(v)!)) {
      await vscode.commands.executeCommand('venueChat.openConversation', { accountId: a.id, conversationId: a.conversationId });
      await until(() => posted.some((p) => p.where === `pane ${a.id}/${a.conversationId}` && p.text.includes('conversation/snapshot')) || undefined, `${a.venue}: the pane's snapshot`);
    }
    // The Binance pane last: its long chat pages back when scrolled to the top, and takes an image.
    const binance = added.get('binance')!;
    await vscode.commands.executeCommand('venueChat.openConversation', { accountId: binance.id, conversationId: binance.conversationId });
    await until(async () => (await driver.count({ selector: '.msg', scope: 'webview' })) > 0 || undefined, 'messages in the Binance pane');
    const pageOf = () => api.messages(binance.id, binance.conversationId, 100_000).length;
    const first = pageOf();
    for (let i = 0; i < 3; i++) {
      const before = pageOf();
      await driver.press({ selector: '.timeline__scroller', key: 'Home', scope: 'webview' });
      await until(() => pageOf() > before || undefined, 'an older page', 10000).catch(() => undefined);
    }
    assert.ok(pageOf() > first, `paged back from ${first} to ${pageOf()} messages`);
    const receipt = Buffer.from(await (await fetch(`${sandbox.info.venues['binance']!.endpoints['media']}/receipt.png`)).arrayBuffer());
    await attachFromDisk('secrets-receipt.png', receipt, () =>
      until(() => api.messages(binance.id, binance.conversationId).some((m) => m.kind === 'image' && m.direction === 'out' && m.status === 'confirmed') || undefined, 'the image confirmed'),
    );
  });

  it('goes through wrong keys, faults that echo secrets, reconnects and one key update', async () => {
    const mexc = added.get('mexc')!;
    const bybit = added.get('bybit')!;
    const mixin = added.get('mixin')!;

    // Wrong keys: the venue refuses them (401 / bad signature) and nothing changes.
    const mexcKeys = listed('mexc')[0]!.credentials;
    wrongSecrets.push('wrong-secret-5c1e7a9b3d', 'wrong-bybit-secret-8f2a6c4e1b');
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('venueChat.updateKeys', { accountId: mexc.id, credentials: { apiKey: mexcKeys['apiKey'], secretKey: wrongSecrets[0] } })));
    const bybitKeys = listed('bybit')[0]!.credentials;
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('venueChat.updateKeys', { accountId: bybit.id, credentials: { ...bybitKeys, secret: wrongSecrets[1] } })));

    // Each venue's error replies quote the request's credentials; MEXC and Binance also close their
    // chat sockets with reasons quoting the listen key (the adapters reconnect on their own).
    for (const a of added.values()) await echoFault(a.venue, a.id);
    await control(controlOf('mexc'), '/faults', { echoSecretsClose: true });
    await control(controlOf('binance'), '/faults', { echoSecretsClose: true });
    // Mixin: a plain 401 on the handshake (the bot's key refused), then back.
    await control(controlOf('mixin'), '/faults', { http401: 1 });
    await reconnect(mixin.id);
    await until(() => stateOf(mixin.id)?.kind === 'auth-error' || undefined, 'Mixin refused');
    await reconnect(mixin.id);

    // One key update: the MEXC account moves to the second key pair.
    assert.equal(await vscode.commands.executeCommand<boolean>('venueChat.updateKeys', { accountId: mexc.id, credentials: listed('mexc')[1]!.credentials }), true);
    for (const a of added.values()) await online(a.id, `${a.venue} at the end`);
    await online(extraAccounts[0]!, 'Bybit RSA at the end');
    for (const venue of VENUES) {
      const echoed = (await control<{ echoedSecrets: string[] }>(controlOf(venue), '/faults')).echoedSecrets;
      assert.ok(echoed.length > 0, `${venue} echoed secrets in its errors`);
    }
  });

  it('finds no key, secret, signature, token, listen key or JWT, nor any piece of one, anywhere it looked', async () => {
    // The tree and the status bar as shown: their text in the workbench.
    await vscode.commands.executeCommand('workbench.view.extension.venueChat');
    const shown = [
      ...(await driver.textContent({ selector: '.monaco-list-row', scope: 'workbench' })),
      ...(await driver.textContent({ selector: '.statusbar-item', scope: 'workbench' })),
    ];
    // Every notification of the session (the errors of the wrong keys among them), as listed in the
    // notification centre.
    await vscode.commands.executeCommand('notifications.showList');
    const notifications = await until(async () => {
      const texts = await driver.textContent({ selector: '.notifications-center .notification-list-item', scope: 'workbench' });
      return texts.length > 0 ? texts : undefined;
    }, 'the notification centre lists the session\'s notifications');
    await vscode.commands.executeCommand('notifications.hideList');
    // The "Pair WhatsApp" page of the login account, as written into its panel.
    assert.equal(await vscode.commands.executeCommand<boolean>('venueChat.showPairing', { accountId: extraAccounts[1] }), true);
    const pairingPages = await until(() => {
      const pages = api.pairingPanels().filter((p) => p.accountId === extraAccounts[1] && p.html.length > 0);
      return pages.length > 0 ? pages : undefined;
    }, 'the pairing page of the login account');
    await api.settled();
    await new Promise((r) => setTimeout(r, 1500)); // the log channel flushes asynchronously

    const secrets: Secret[] = [];
    const atomic = (label: string, value: string | undefined) => value && secrets.push({ label, value, pieces: true });
    const usedAccounts = VENUES.flatMap((venue) => listed(venue).map((a, i) => ({ venue, i, a })));
    for (const { venue, i, a } of usedAccounts) {
      for (const [field, value] of Object.entries(a.credentials)) {
        if (field === 'authMethod' || field === 'keyType' || field === 'email') continue;
        const label = `${venue}[${i}].${field}`;
        if (field === 'privateKey') {
          secrets.push({ label, value, pieces: false });
          atomic(`${label} (PEM body)`, pemBody(value));
        } else if (field === 'keystore') {
          secrets.push({ label, value, pieces: false });
          const keystore = JSON.parse(value) as Record<string, string>;
          atomic(`${label}.session_private_key`, keystore['session_private_key']);
          atomic(`${label}.session_id`, keystore['session_id']);
          atomic(`${label}.pin_token`, keystore['pin_token']);
        } else {
          atomic(label, value);
        }
      }
    }
    wrongSecrets.forEach((s, i) => atomic(`wrong secret ${i}`, s));
    for (const venue of VENUES) {
      const echoed = (await control<{ echoedSecrets: string[] }>(controlOf(venue), '/faults')).echoedSecrets;
      echoed.forEach((value, i) => {
        const label = `${venue} echoed value ${i}`;
        const compound = /[&={}"\s[\]]/.test(value);
        secrets.push({ label, value, pieces: !compound && !value.startsWith('eyJ') });
        const signature = value.startsWith('eyJ') ? jwtSignature(value) : undefined;
        if (signature) atomic(`${label} (JWT signature)`, signature);
        // A signed query's signature on its own.
        const querySignature = compound ? new URLSearchParams(value).get('signature') : null;
        if (querySignature) atomic(`${label} (signature)`, querySignature);
      });
    }
    const scanner = new SecretScanner(secrets);

    const surfaces = new Map<string, Scanned[]>();
    // Logs: every file of this window's log folder (the Venue Chat channel, the extension host's own log).
    const logDir = dirname(dirname(api.logFile.fsPath));
    const logLines: Scanned[] = [];
    for (const file of await filesUnder(logDir)) {
      (await fileText(file)).split('\n').forEach((line, n) => line && logLines.push({ where: `${file}:${n + 1}`, text: line }));
    }
    assert.ok(logLines.some((l) => l.where.startsWith(api.logFile.fsPath)), 'the Venue Chat log is among them');
    surfaces.set('log lines', logLines);
    // Settings: every venueChat setting at every level, and the settings files themselves.
    const config = vscode.workspace.getConfiguration('venueChat');
    const keys = Object.keys((vscode.extensions.getExtension('venue-chat.venue-chat')!.packageJSON as { contributes: { configuration: { properties: Record<string, unknown> } } }).contributes.configuration.properties);
    const settings: Scanned[] = keys.map((key) => ({ where: key, text: JSON.stringify(config.inspect(key.replace(/^venueChat\./, '')) ?? null) }));
    const userSettings = join(dirname(dirname(api.storageDirs.global)), 'settings.json');
    const workspaceSettings = join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, '.vscode', 'settings.json');
    for (const file of [userSettings, workspaceSettings]) if (await stat(file).catch(() => undefined)) settings.push({ where: file, text: await fileText(file) });
    surfaces.set('settings', settings);
    const mementos = api.mementos();
    surfaces.set('globalState and workspaceState entries', [
      ...Object.entries(mementos.globalState).map(([key, value]) => ({ where: `globalState ${key}`, text: JSON.stringify(value) })),
      ...Object.entries(mementos.workspaceState).map(([key, value]) => ({ where: `workspaceState ${key}`, text: JSON.stringify(value) })),
    ]);
    const storageFiles: Scanned[] = [];
    for (const dir of [api.storageDirs.global, api.storageDirs.workspace].filter((d): d is string => !!d)) {
      for (const file of await filesUnder(dir)) storageFiles.push({ where: file, text: await fileText(file) });
    }
    assert.ok(storageFiles.some((f) => f.where.endsWith('outbox.jsonl')) && storageFiles.some((f) => f.where.includes(`${join('store', '')}`)), 'the store and the outbox are among the files');
    surfaces.set('storage files', storageFiles);
    surfaces.set('connection-state reasons', [...[...reasons].map((r) => ({ where: 'api state', text: r })), ...shown.map((t) => ({ where: 'tree / status bar', text: t }))]);
    surfaces.set('messages posted to panes', posted);
    surfaces.set('pairing pages', pairingPages.map((p) => ({ where: `pairing panel ${p.accountId}`, text: p.html })));
    surfaces.set('notifications', notifications.map((text) => ({ where: 'notification centre', text })));

    const hits: Hit[] = [];
    const counts: string[] = [];
    for (const [surface, items] of surfaces) {
      counts.push(`${surface}: ${items.length} (${items.reduce((n, i) => n + i.text.length, 0)} characters)`);
      assert.ok(items.length > 0, `${surface}: nothing to scan`);
      for (const item of items) hits.push(...scanner.scan(surface, item));
    }
    for (const h of hits) console.log(`secrets scan hit: ${h.surface} @ ${h.where}: ${h.secret} (${h.form}) in "${h.context}"`);
    console.log(`secrets scan reasons: ${[...reasons].join(' | ')}`);
    console.log(`secrets scan: ${secrets.length} secrets in ${scanner.formCount} forms; scanned ${counts.join('; ')}`);
    assert.ok([...reasons].some((r) => /auth-error/.test(r)), `an auth error was shown: ${[...reasons].join(' | ')}`);
    assert.deepEqual(hits.map((h) => `${h.surface} @ ${h.where}: ${h.secret} (${h.form}) in "${h.context}"`), []);
  });
});
