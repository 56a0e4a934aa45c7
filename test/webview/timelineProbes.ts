// Reads of the timeline's geometry shared by the webview tests.
import type { ChatPage } from './harness';

/** A row's top edge relative to the scroller's top edge (throws if the row is not mounted). */
export async function rowTop(chat: ChatPage, key: string): Promise<number> {
  return chat.page.evaluate((k) => {
    const scroller = document.querySelector('.timeline__scroller') as HTMLElement;
    const row = [...document.querySelectorAll<HTMLElement>('.msg')].find((r) => r.dataset.key === k);
    if (!row) throw new Error(`no row ${k}`);
    return row.getBoundingClientRect().top - scroller.getBoundingClientRect().top;
  }, key);
}
