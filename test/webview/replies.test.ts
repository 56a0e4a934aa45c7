// Quoted replies and structured sends in the pane: a keyboard-reachable Reply action only where the
// venue sends replies and only on messages the venue knows; the "Replying to" bar with Cancel and
// Escape; the reply named by key only; Location… and Contact… only where the venue sends them.
import * as assert from 'node:assert/strict';
import type { ComposerCapabilities } from '../../src/shared/model';
import { T0, UPLOAD_COMPOSER, message } from './fixtures';
import type { ChatPage } from './harness';
import { webviewSuite } from './suite';

const BOX = 'vscode-text-area textarea';
const WHATSAPP: ComposerCapabilities = { ...UPLOAD_COMPOSER, sendKinds: ['text', 'image', 'video', 'audio', 'file', 'location', 'contact'], venueUpload: true, replies: true };

async function replyBarText(chat: ChatPage): Promise<string> {
  return (await chat.page.locator('.composer__reply-text').evaluate((e) => e.textContent ?? '')).replace(/\s+/g, ' ').trim();
}

async function waitForBarHidden(chat: ChatPage): Promise<void> {
  await chat.page.waitForFunction(() => document.querySelector<HTMLElement>('.composer__reply')?.hidden === true);
}

describe('webview: quoted replies, locations and contacts', () => {
  const suite = webviewSuite();

  const asked = message({ id: 'wa-1', text: 'did you\npay the seller?', time: T0 - 3000 });
  const own = message({ id: 'wa-2', direction: 'out', status: 'read', senderName: undefined, text: 'paid', time: T0 - 2000, clientMessageId: 'ownclient01' });
  const pending = { ...message({ id: 'unused', direction: 'out', status: 'queued', senderName: undefined, text: 'on its way', time: T0 - 1000, clientMessageId: 'pendingcl01' }), key: 'mexc:acc-1:order-42:c:pendingcl01', venueMessageId: undefined };
  const gap = message({ id: 'gap-1', kind: 'gap', direction: 'system', text: undefined, time: T0 - 500, gap: { from: T0 - 900, to: T0 - 600 } });
  const recalled = message({ id: 'wa-3', text: 'oops', recalled: true, time: T0 - 400 });
  const system = message({ id: 'sys-1', kind: 'system', direction: 'system', text: 'Order paid', time: T0 - 300 });

  it('offers Reply only on messages the venue knows (not events, pending or withdrawn ones), and only where the venue sends replies', async () => {
    const messages = [asked, own, pending, gap, recalled, system];
    const chat = await suite.openWith({ messages, composer: WHATSAPP });
    const withReply = await chat.page.locator('.msg').evaluateAll((rows) => rows.filter((r) => r.querySelector('.msg__reply')).map((r) => (r as HTMLElement).dataset.key));
    assert.deepEqual(withReply, [asked.key, own.key]);
    const button = chat.page.locator(`.msg[data-key="${asked.key}"] .msg__reply`);
    assert.equal(await button.evaluate((b) => b.tagName), 'BUTTON');
    assert.equal(await button.getAttribute('aria-label'), 'Reply to this message');
    assert.equal(await button.getAttribute('tabindex'), null, 'in the tab order');
    assert.equal(await chat.page.locator(`.msg[data-key="${own.key}"] .msg__reply`).getAttribute('aria-label'), 'Reply to your message');

    const other = await suite.openWith({ messages, composer: { ...WHATSAPP, replies: false } });
    assert.equal(await other.page.locator('.msg__reply').count(), 0);
  });

  it('Reply (by keyboard) shows the bar; the send names the message by key; the bar goes once the host accepts', async () => {
    const chat = await suite.openWith({ messages: [asked, own], composer: WHATSAPP });
    const button = chat.page.locator(`.msg[data-key="${asked.key}"] .msg__reply`);
    await button.focus();
    await chat.page.keyboard.press('Enter');
    await chat.page.waitForFunction(() => document.querySelector<HTMLElement>('.composer__reply')?.hidden === false);
    assert.equal(await replyBarText(chat), 'Replying to alice_p2p: did you pay the seller?');
    assert.equal(await chat.page.evaluate(() => document.activeElement?.tagName), 'VSCODE-TEXT-AREA', 'the box takes focus to type the answer');
    await chat.page.locator(BOX).fill('yes, just now');
    await chat.page.locator(BOX).press('Enter');
    const send = await chat.nextRequest('message/send');
    assert.deepEqual(send.params.replyTo, { key: asked.key });
    assert.equal(send.params.text, 'yes, just now');
    assert.equal(await chat.page.locator('.composer__reply').isVisible(), true, 'kept while the host has not answered');
    await chat.respond(send, { key: 'k1' });
    await waitForBarHidden(chat);
    await chat.page.locator(BOX).fill('next');
    await chat.page.locator(BOX).press('Enter');
    const next = await chat.nextRequest('message/send');
    assert.equal(next.params.replyTo, undefined, 'the reply went with one message only');
  });

  it('keeps the reply when the host refuses the send, and Escape or Cancel drops it', async () => {
    const chat = await suite.openWith({ messages: [asked, own], composer: WHATSAPP });
    await chat.page.locator(`.msg[data-key="${own.key}"] .msg__reply`).click();
    assert.equal(await replyBarText(chat), 'Replying to You: paid');
    await chat.page.locator(BOX).fill('see above');
    await chat.page.locator(BOX).press('Enter');
    const refused = await chat.nextRequest('message/send');
    await chat.respondError(refused, { code: 'bad-reply', message: 'That message has not reached the venue yet; reply once it is sent.' });
    await chat.page.waitForFunction(() => document.querySelector('.composer__error')?.textContent?.includes('not reached the venue'));
    assert.equal(await chat.page.locator('.composer__reply').isVisible(), true);
    await chat.page.locator(BOX).press('Escape');
    await waitForBarHidden(chat);
    assert.equal(await chat.page.locator(BOX).inputValue(), 'see above', 'Escape drops the reply, not the text');
    await chat.page.locator(`.msg[data-key="${asked.key}"] .msg__reply`).click();
    await chat.page.locator('.composer__reply-cancel').click();
    await waitForBarHidden(chat);
    await chat.page.locator(BOX).press('Enter');
    const plain = await chat.nextRequest('message/send');
    assert.equal(plain.params.replyTo, undefined);
  });

  it('shows a hostile sender and text in the reply bar as inert text with bidi controls revealed', async () => {
    const hostile = message({ id: 'wa-9', senderName: '<img src=x onerror=window.__pwned=1>', text: 'pay \u202Efdp.exe <script>window.__pwned=2</script>' });
    const chat = await suite.openWith({ messages: [hostile], composer: WHATSAPP });
    await chat.page.locator('.msg__reply').click();
    assert.match(await replyBarText(chat), /^Replying to <img src=x onerror=window.__pwned=1>: pay .*fdp\.exe <script>window.__pwned=2<\/script>$/);
    assert.equal(await chat.page.locator('.composer img, .composer script').count(), 0);
    assert.equal(await chat.page.locator('.composer__reply .bidi-control').count(), 1);
    assert.equal(await chat.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
  });

  it('offers Location… and Contact… only where the venue sends them; the host asks for the content', async () => {
    const chat = await suite.openWith({ messages: [asked], composer: WHATSAPP });
    assert.equal(await chat.page.locator('.composer__location').isVisible(), true);
    assert.equal(await chat.page.locator('.composer__contact').isVisible(), true);
    await chat.page.locator('.composer__location').click();
    const location = await chat.nextRequest('compose/structured');
    assert.deepEqual(location.params, { kind: 'location' });
    await chat.respond(location, { queued: { key: 'k-loc', clientMessageId: 'locclient01' } });
    // A contact sent as a reply carries the reply too.
    await chat.page.locator('.msg__reply').click();
    await chat.page.locator('.composer__contact').click();
    const contact = await chat.nextRequest('compose/structured');
    assert.deepEqual(contact.params, { kind: 'contact', replyTo: { key: asked.key } });
    await chat.respond(contact, {});
    assert.equal(await chat.page.locator('.composer__reply').isVisible(), true, 'dismissed prompts keep the reply');
    await chat.page.locator('.composer__contact').click();
    const again = await chat.nextRequest('compose/structured');
    await chat.respond(again, { queued: { key: 'k-c', clientMessageId: 'conclient01' } });
    await waitForBarHidden(chat);

    const mexc = await suite.openWith({ messages: [asked] });
    assert.equal(await mexc.page.locator('.composer__location').isVisible(), false);
    assert.equal(await mexc.page.locator('.composer__contact').isVisible(), false);
  });

  it('keyboard on a message: Tab reaches its Reply, Escape comes back to the message, R starts the reply (only where there is one)', async () => {
    const chat = await suite.openWith({ messages: [asked, own, system], composer: WHATSAPP });
    const row = chat.page.locator(`.msg[data-key="${asked.key}"]`);
    await row.focus();
    await chat.page.keyboard.press('Tab');
    assert.equal(await chat.page.evaluate(() => document.activeElement?.classList.contains('msg__reply') === true && (document.activeElement.closest('.msg') as HTMLElement | null)?.dataset.key), asked.key, 'Tab from a message reaches its Reply');
    await chat.page.keyboard.press('Escape');
    assert.equal(await chat.page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.key), asked.key, 'Escape goes back to the message');
    assert.equal(await chat.page.locator('.composer__reply').isVisible(), false);
    await chat.page.keyboard.press('r');
    await chat.page.waitForFunction(() => document.querySelector<HTMLElement>('.composer__reply')?.hidden === false);
    assert.equal(await replyBarText(chat), 'Replying to alice_p2p: did you pay the seller?');
    assert.equal(await chat.page.evaluate(() => document.activeElement?.tagName), 'VSCODE-TEXT-AREA', 'the box takes focus');
    assert.equal(await chat.page.locator(BOX).inputValue(), '', 'the R is not typed into the box');
    await chat.page.locator(BOX).press('Escape');
    await waitForBarHidden(chat);
    await chat.page.locator(`.msg[data-key="${system.key}"]`).focus();
    await chat.page.keyboard.press('r');
    await chat.frames();
    assert.equal(await chat.page.locator('.composer__reply').isVisible(), false, 'an order event cannot be answered');
  });

  it('the host can focus the composer with a quote (Reply to Latest Unread) and send the box as the Send button does (Ctrl+Enter)', async () => {
    const chat = await suite.openWith({ messages: [asked, own], composer: WHATSAPP });
    await chat.page.locator(`.msg[data-key="${own.key}"]`).focus();
    await chat.notify('composer/focus', { replyTo: { key: asked.key } });
    await chat.page.waitForFunction(() => document.querySelector<HTMLElement>('.composer__reply')?.hidden === false);
    assert.equal(await replyBarText(chat), 'Replying to alice_p2p: did you pay the seller?');
    assert.equal(await chat.page.evaluate(() => document.activeElement?.tagName), 'VSCODE-TEXT-AREA');
    await chat.page.locator(BOX).fill('sent by the command');
    await chat.notify('composer/send', {});
    const send = await chat.nextRequest('message/send');
    assert.equal(send.params.text, 'sent by the command');
    assert.deepEqual(send.params.replyTo, { key: asked.key }, 'the same send as the button: with the reply');
    await chat.respond(send, { key: 'k2' });
    for (let i = 0; i < 50 && (await chat.page.locator(BOX).inputValue()) !== ''; i++) await chat.page.waitForTimeout(100);
    assert.equal(await chat.page.locator(BOX).inputValue(), '', 'the box is cleared once the host accepted');
    await chat.notify('composer/send', {});
    await chat.expectNoRequest('message/send');

    const plain = await suite.openWith({ messages: [asked], composer: { ...WHATSAPP, replies: false } });
    await plain.notify('composer/focus', { replyTo: { key: asked.key } });
    await plain.frames();
    assert.equal(await plain.page.locator('.composer__reply').isVisible(), false, 'no quote where the venue has no replies');
    assert.equal(await plain.page.evaluate(() => document.activeElement?.tagName), 'VSCODE-TEXT-AREA', 'the composer still takes focus');
  });
});

