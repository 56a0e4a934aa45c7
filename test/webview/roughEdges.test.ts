// The pane's rough edges from real use: short gap markers, spoofed text, focus, the counter.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { CONVERSATION, MEXC_COMPOSER, message, snapshot } from './fixtures';
import { webviewSuite } from './suite';

const BOX = 'vscode-text-area textarea';

/** The characters of the first text node under `selector` containing `needle`, left to right as painted. */
async function paintedOrder(page: Page, selector: string, needle: string): Promise<string> {
  return page.evaluate(
    ({ selector, needle }) => {
      const root = document.querySelector(selector);
      if (!root) throw new Error(`no ${selector}`);
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        const start = text.indexOf(needle);
        if (start < 0) continue;
        const chars: { char: string; x: number }[] = [];
        for (let i = start; i < start + needle.length; i++) {
          const range = document.createRange();
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          chars.push({ char: text[i] ?? '', x: range.getBoundingClientRect().left });
        }
        return chars
          .sort((a, b) => a.x - b.x)
          .map((c) => c.char)
          .join('');
      }
      throw new Error(`no text node with ${needle}`);
    },
    { selector, needle },
  );
}

async function activeIsComposer(page: Page): Promise<boolean> {
  return page.evaluate(() => document.activeElement?.matches('vscode-text-area.composer__box') === true && document.activeElement.shadowRoot?.activeElement?.tagName === 'TEXTAREA');
}

describe('webview rough edges', () => {
  const suite = webviewSuite();

  describe('gap markers', () => {
    it('a short outage shows seconds and how long the connection was lost', async () => {
      const from = Date.UTC(2025, 0, 15, 18, 21, 5);
      const gap = message({ id: 'g', kind: 'gap', direction: 'system', text: undefined, time: from + 35_000, gap: { from, to: from + 35_000 } });
      const chat = await suite.openWith({ messages: [gap] });
      const text = (await chat.page.locator('.content--gap').innerText()).trim();
      assert.match(text, /^Connection lost 18:21:05–18:21:40 \(lost connection for 35 s\) — /);
    });

    it('both ends in the same minute show seconds even when a gap carries zero length', async () => {
      const at = Date.UTC(2025, 0, 15, 18, 21, 12);
      const chat = await suite.openWith({ messages: [message({ id: 'g0', kind: 'gap', direction: 'system', text: undefined, time: at, gap: { from: at, to: at } })] });
      assert.match(await chat.page.locator('.content--gap').innerText(), /Connection lost 18:21:12–18:21:12 \(lost connection for 0 s\)/);
    });

    it('an outage of an hour or more keeps minutes and says hours and minutes', async () => {
      const from = Date.UTC(2025, 0, 15, 8, 0, 30);
      const to = from + 2 * 3_600_000 + 5 * 60_000;
      const chat = await suite.openWith({ messages: [message({ id: 'g2', kind: 'gap', direction: 'system', text: undefined, time: to, gap: { from, to } })] });
      assert.match(await chat.page.locator('.content--gap').innerText(), /Connection lost 08:00–10:05 \(lost connection for 2 h 5 min\)/);
    });
  });

  describe('spoofed text', () => {
    it('"\\u202Eexe.fdp" shows the override as a marked token and reads exe.fdp, not pdf.exe', async () => {
      const chat = await suite.openWith({ messages: [message({ id: 'b1', text: 'please open \u202Eexe.fdp now' })] });
      const row = `.msg[data-key="${message({ id: 'b1' }).key}"]`;
      const token = chat.page.locator(`${row} .bidi-control`);
      assert.equal(await token.count(), 1);
      assert.equal(await token.innerText(), 'RLO');
      assert.equal(await token.getAttribute('title'), 'right-to-left override (hidden character)');
      // No control character is left in the rendered text, and the letters are painted in reading order.
      const rendered = await chat.page.locator(`${row} .text`).evaluate((el) => el.textContent ?? '');
      assert.equal(/[\u202A-\u202E\u2066-\u2069]/.test(rendered), false);
      assert.equal(await paintedOrder(chat.page, `${row} .text`, 'exe.fdp'), 'exe.fdp');
      // The words around it keep their order too.
      assert.equal(await paintedOrder(chat.page, `${row} .text`, 'please open '), 'please open ');
    });

    it('an IBAN and an amount with embedded RLI/PDI are isolated and keep their digit order', async () => {
      const text = 'IBAN DE89 \u20673704 0044\u2069 0532 0130 00, amount 1\u2067250.\u206900 EUR';
      const chat = await suite.openWith({ messages: [message({ id: 'b2', text })] });
      const row = `.msg[data-key="${message({ id: 'b2' }).key}"]`;
      assert.deepEqual(await chat.page.locator(`${row} .bidi-control`).allInnerTexts(), ['RLI', 'PDI', 'RLI', 'PDI']);
      assert.equal(await chat.page.locator(`${row} .text`).evaluate((el) => getComputedStyle(el).unicodeBidi), 'isolate');
      assert.equal(await chat.page.locator(`${row} .bidi-control`).first().evaluate((el) => getComputedStyle(el).unicodeBidi), 'isolate');
      assert.equal(await paintedOrder(chat.page, `${row} .text`, '3704 0044'), '3704 0044');
      assert.equal(await paintedOrder(chat.page, `${row} .text`, '250.'), '250.');
      assert.equal(await paintedOrder(chat.page, `${row} .text`, ' 0532 0130 00, amount 1'), ' 0532 0130 00, amount 1');
    });

    it('reveals controls in sender names, file names and quotes', async () => {
      const chat = await suite.openWith({
        messages: [
          message({
            id: 'b3',
            kind: 'file',
            senderName: 'bob\u202E',
            text: '',
            quote: { senderName: 'al\u2066ice', text: 'pay \u202Dhere' },
            attachments: [{ kind: 'file', name: 'invoice\u202Efdp.exe', url: 'https://files.example/x' }],
          }),
        ],
      });
      const row = `.msg[data-key="${message({ id: 'b3' }).key}"]`;
      assert.deepEqual(await chat.page.locator(`${row} .sender .bidi-control`).allInnerTexts(), ['RLO']);
      assert.deepEqual(await chat.page.locator(`${row} .quote__sender .bidi-control`).allInnerTexts(), ['LRI']);
      assert.deepEqual(await chat.page.locator(`${row} .quote__text .bidi-control`).allInnerTexts(), ['LRO']);
      assert.deepEqual(await chat.page.locator(`${row} .file-card__name .bidi-control`).allInnerTexts(), ['RLO']);
      assert.equal(await chat.page.locator(`${row} .file-card__name`).getAttribute('title'), 'invoice⟨RLO⟩fdp.exe');
      assert.equal(await paintedOrder(chat.page, `${row} .file-card__name`, 'fdp.exe'), 'fdp.exe');
    });
  });

  describe('focus', () => {
    it('the composer has focus as soon as the page boots, before any history arrives', async () => {
      const chat = await suite.open();
      await chat.nextRequest('webview/ready');
      // No reply and no snapshot yet: the host is still loading the conversation.
      await chat.page.waitForFunction(() => document.activeElement?.matches('vscode-text-area.composer__box') === true);
      assert.equal(await activeIsComposer(chat.page), true);
      assert.equal(await chat.page.locator('.shell').isHidden(), true, 'the conversation itself is not shown yet');
    });

    it('keeps what is typed before the snapshot and puts it after the saved draft', async () => {
      const chat = await suite.open();
      const ready = await chat.nextRequest('webview/ready');
      await chat.page.waitForFunction(() => document.activeElement?.matches('vscode-text-area.composer__box') === true);
      // Typed straight at the page (no click): the keys must land in the composer.
      await chat.page.keyboard.type('paid 💶 ');
      // Enter before the conversation is known sends nothing and loses nothing.
      await chat.page.keyboard.press('Enter');
      await chat.respond(ready, { accepted: true });
      await chat.notify('conversation/snapshot', snapshot({ draft: 'Hello, ' }));
      await chat.page.waitForSelector('.shell:not([hidden])');
      await chat.page.keyboard.type('ok');
      assert.equal(await chat.page.locator(BOX).inputValue(), 'Hello, paid 💶 ok');
      assert.equal(await chat.page.locator('.composer__counter').innerText(), `16 / ${MEXC_COMPOSER.maxTextLength}`);
      assert.equal((await chat.requests('message/send')).length, 0);
      await chat.page.keyboard.press('Enter');
      assert.equal((await chat.nextRequest('message/send')).params.text, 'Hello, paid 💶 ok');
    });

    it('a character typed after clicking the timeline goes to the composer', async () => {
      const chat = await suite.openWith({ messages: [message({ id: 'f1', text: 'hello' })] });
      await chat.page.locator('.msg .text').first().click();
      await chat.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await chat.page.keyboard.type('abc');
      assert.equal(await chat.page.locator(BOX).inputValue(), 'abc');
      assert.equal(await activeIsComposer(chat.page), true);
    });

    it('focus stays in the composer after clicking Send', async () => {
      const chat = await suite.openWith({ conversation: CONVERSATION });
      await chat.page.locator(BOX).fill('first message');
      await chat.page.locator('vscode-button.composer__send').click();
      const send = await chat.nextRequest('message/send');
      assert.equal(send.params.text, 'first message');
      assert.equal(await activeIsComposer(chat.page), true, 'focus did not move to the button');
      await chat.respond(send, { key: 'k1' });
      await chat.page.waitForFunction(() => document.querySelector('.composer')?.getAttribute('aria-busy') === 'false');
      // Accepted: the box empties, and the next message is typed without clicking back into it.
      for (let i = 0; (await chat.page.locator(BOX).inputValue()) !== ''; i++) {
        if (i > 100) assert.fail('the box was not emptied after the host accepted the message');
        await chat.page.waitForTimeout(20);
      }
      await chat.page.keyboard.type('second');
      assert.equal(await chat.page.locator(BOX).inputValue(), 'second');
      assert.equal(await activeIsComposer(chat.page), true);
    });
  });

  describe('character counter', () => {
    it('counts emoji and astral characters as one character each, as the venues do', async () => {
      const chat = await suite.openWith({ composer: { ...MEXC_COMPOSER, maxTextLength: 10 } });
      await chat.page.locator(BOX).fill('😀😀😀😀😀');
      assert.equal(await chat.page.locator('.composer__counter').innerText(), '5 / 10');
      // 84 letters and 7 emoji: 98 UTF-16 code units, 91 characters.
      await chat.page.locator(BOX).fill(`${'a'.repeat(84)}${'😀'.repeat(7)}`);
      assert.equal(await chat.page.locator('.composer__counter').innerText(), '91 / 10');
    });

    it('sends ten astral characters at a limit of ten and refuses eleven', async () => {
      const chat = await suite.openWith({ composer: { ...MEXC_COMPOSER, maxTextLength: 10 } });
      await chat.page.locator(BOX).fill('𝐀'.repeat(11));
      assert.equal(await chat.page.locator('.composer__counter').innerText(), '11 / 10');
      assert.equal(await chat.page.locator('vscode-button.composer__send').getAttribute('disabled'), '');
      await chat.page.locator(BOX).press('Enter');
      await chat.page.waitForFunction(() => document.querySelector('.composer__error')?.textContent?.includes('1 characters too long'));
      await chat.expectNoRequest('message/send', 100);
      await chat.page.locator(BOX).fill('𝐀'.repeat(10));
      assert.equal(await chat.page.locator('.composer__counter').innerText(), '10 / 10');
      await chat.page.locator(BOX).press('Enter');
      assert.equal((await chat.nextRequest('message/send')).params.text, '𝐀'.repeat(10));
    });
  });
});
