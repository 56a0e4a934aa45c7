// The kinds WhatsApp (MultiWA) adds to the pane: reactions, polls and voice notes, each readable,
// each with a labelled fallback, and counterparty text in them inert.
import * as assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import type { ChatMessage } from '../../src/shared/model';
import { T0, message } from './fixtures';
import type { ChatPage } from './harness';
import { webviewSuite } from './suite';

function row(chat: ChatPage, m: ChatMessage): Locator {
  return chat.page.locator(`.msg[data-key="${m.key}"]`);
}

async function textOf(locator: Locator): Promise<string> {
  return (await locator.evaluate((e) => e.textContent ?? '')).replace(/\s+/g, ' ').trim();
}

/** The label as written (CSS may show it upper-cased). */
async function labelOf(locator: Locator): Promise<string> {
  return textOf(locator.locator('.content__label'));
}

const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
/** Short enough to pass the reaction's 64-character emoji cap. */
const HOSTILE_EMOJI = '<img src=x onerror=window.__pwned=3>';

describe('webview: WhatsApp kinds (reaction, poll, voice note)', () => {
  const suite = webviewSuite();

  it('shows a reaction’s emoji, a withdrawn reaction as “Reaction removed”, and a reaction without payload as a labelled fallback', async () => {
    const thumbs = message({ id: 'r1', kind: 'reaction', text: undefined, payload: { type: 'reaction', emoji: '👍', targetVenueMessageId: 'm0' } });
    const removed = message({ id: 'r2', kind: 'reaction', text: undefined, time: T0 + 1, payload: { type: 'reaction', emoji: '' } });
    const bare = message({ id: 'r3', kind: 'reaction', text: '❤️', time: T0 + 2 });
    const chat = await suite.openWith({ messages: [thumbs, removed, bare] });
    assert.equal(await row(chat, thumbs).locator('.reaction__emoji').innerText(), '👍');
    assert.equal(await row(chat, thumbs).locator('.reaction__removed').count(), 0);
    assert.match(await textOf(row(chat, thumbs).locator('.content--reaction')), /^👍\s*reacted to a message$/);
    assert.equal(await row(chat, removed).locator('.reaction__emoji').count(), 0);
    assert.equal(await row(chat, removed).locator('.reaction__removed').innerText(), 'Reaction removed');
    assert.equal(await labelOf(row(chat, bare).locator('.content--labelled.content--reaction')), 'Reaction');
    assert.match(await textOf(row(chat, bare).locator('.content')), /^Reaction\s*❤️$/);
  });

  it('shows a poll’s question and its options in order, says when several answers are allowed, and falls back when malformed', async () => {
    const poll = message({ id: 'p1', kind: 'poll', text: undefined, payload: { type: 'poll', question: 'Which bank?', options: ['Revolut', 'Wise', 'N26'] } });
    const multi = message({ id: 'p2', kind: 'poll', text: undefined, time: T0 + 1, payload: { type: 'poll', question: 'Payment days?', options: ['Mon', 'Tue'], allowMultipleAnswers: true } });
    // A payload without options does not pass the pane's check: the row says what it is and keeps the text.
    const malformed = { ...message({ id: 'p3', kind: 'poll', text: 'Poll: which bank?', time: T0 + 2 }), payload: { type: 'poll', question: 'Which bank?', options: 'Revolut' } } as unknown as ChatMessage;
    const chat = await suite.openWith({ messages: [poll, multi, malformed] });
    assert.equal(await labelOf(row(chat, poll)), 'Poll');
    assert.equal(await row(chat, poll).locator('.poll__question').innerText(), 'Which bank?');
    assert.deepEqual(await row(chat, poll).locator('ol.poll__options > li.poll__option').allInnerTexts(), ['Revolut', 'Wise', 'N26']);
    assert.equal(await labelOf(row(chat, multi)), 'Poll (several answers allowed)');
    assert.deepEqual(await row(chat, multi).locator('.poll__option').allInnerTexts(), ['Mon', 'Tue']);
    assert.equal(await row(chat, malformed).locator('.poll__question').count(), 0);
    assert.equal(await labelOf(row(chat, malformed).locator('.content--labelled.content--poll')), 'Poll');
    assert.match(await textOf(row(chat, malformed).locator('.content')), /^Poll\s*Poll: which bank\?$/);
  });

  it('keeps hostile reaction and poll text inert, with bidi controls shown', async () => {
    const reaction = message({ id: 'x1', kind: 'reaction', text: undefined, payload: { type: 'reaction', emoji: HOSTILE_EMOJI } });
    const poll = message({ id: 'x2', kind: 'poll', text: undefined, time: T0 + 1, payload: { type: 'poll', question: `${HOSTILE}?`, options: [HOSTILE, 'pay to \u202Efdp.exe'] } });
    const chat = await suite.openWith({ messages: [reaction, poll] });
    await chat.frames();
    assert.equal(await chat.page.locator('.timeline img, .timeline script').count(), 0, 'no element from counterparty text');
    assert.equal(await chat.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.equal(await row(chat, reaction).locator('.reaction__emoji').innerText(), HOSTILE_EMOJI);
    assert.equal(await row(chat, poll).locator('.poll__option').first().innerText(), HOSTILE);
    // The right-to-left override is made visible rather than obeyed.
    assert.equal(await row(chat, poll).locator('.poll__option').nth(1).locator('.bidi-control').count(), 1);
  });

  it('labels a voice note “Voice message” with its length, playable or not; plain audio keeps its file name', async () => {
    const media = suite.server.mediaOrigin;
    const playable = message({ id: 'v1', kind: 'audio', text: undefined, attachments: [{ kind: 'audio', url: `${media}/hang/ptt.ogg`, name: 'AUD-20250115-WA0001.opus', durationMs: 12_000, voiceNote: true }] });
    const unplayable = message({ id: 'v2', kind: 'audio', text: undefined, time: T0 + 1, attachments: [{ kind: 'audio', ref: 'media-7', durationMs: 125_000, voiceNote: true }] });
    const noLength = message({ id: 'v3', kind: 'audio', text: undefined, time: T0 + 2, attachments: [{ kind: 'audio', ref: 'media-8', voiceNote: true }] });
    const song = message({ id: 'v4', kind: 'audio', text: undefined, time: T0 + 3, attachments: [{ kind: 'audio', url: `${media}/hang/song.mp3`, name: 'song.mp3', durationMs: 200_000 }] });
    const chat = await suite.openWith({ messages: [playable, unplayable, noLength, song] });
    assert.equal(await row(chat, playable).locator('audio.media--audio').count(), 1);
    assert.equal(await textOf(row(chat, playable).locator('.media-caption')), 'Voice message · 0:12');
    assert.doesNotMatch(await textOf(row(chat, playable)), /AUD-20250115/, 'the random file name is not the label');
    assert.equal(await row(chat, unplayable).locator('audio').count(), 0);
    assert.equal(await row(chat, unplayable).locator('.audio__duration').innerText(), 'Voice message · 2:05');
    assert.equal(await row(chat, noLength).locator('.audio__duration').innerText(), 'Voice message');
    assert.equal(await textOf(row(chat, song).locator('.media-caption')), 'song.mp3 · 3:20');
  });
});
