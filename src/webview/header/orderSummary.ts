// The order behind the chat, in the header: the user's side and quantity, the fiat amount and
// price, the state in words and, while the buyer still has to pay, a live countdown to the
// payment deadline. One timer at most, armed only while a countdown shows and disposed with the
// pane. Screen readers hear the state when it changes and the countdown only at a few marks
// (5 minutes, 1 minute, overdue), never every second.
import * as l10n from '@vscode/l10n';
import type { OrderContext } from '../../shared/model';
import { countdownText, orderSideText, orderStateText, tradeTermsText } from '../../shared/orderText';
import { el } from '../dom';
import { type Disposable, MutableDisposable, timeout } from '../lifecycle';

/** Seconds left at which the countdown is announced. */
const SPOKEN_MARKS_S = [300, 60] as const;

export class OrderSummary implements Disposable {
  readonly element: HTMLElement;
  private readonly trade = el('span', { className: 'order__trade' });
  private readonly fiat = el('span', { className: 'order__fiat' });
  private readonly state = el('span', { className: 'order__state' });
  // role=timer is not live by default: the text changes every second without being read out.
  private readonly countdown = el('span', { className: 'order__countdown', attrs: { role: 'timer' } });
  private readonly tick = new MutableDisposable();
  private order: OrderContext | undefined;
  /** The marks already announced for the current deadline. */
  private spoken = new Set<number | 'overdue'>();

  constructor(private readonly announce: (text: string) => void) {
    this.element = el('div', { className: 'header__order', attrs: { hidden: '' } }, [this.trade, this.fiat, this.state, this.countdown]);
  }

  set(order: OrderContext | undefined): void {
    const previous = this.order;
    this.order = order;
    this.element.hidden = order === undefined;
    if (!order) {
      this.tick.clear();
      return;
    }
    this.trade.textContent = orderSideText(order) ?? '';
    this.fiat.textContent = tradeTermsText(order) ?? '';
    this.state.textContent = orderStateText(order);
    this.state.dataset.state = order.state;
    const sameOrder = previous?.orderNo === order.orderNo;
    if (sameOrder && previous.state !== order.state) this.announce(l10n.t({ message: 'Order {0}', args: [orderStateText(order)], comment: ['Read out when the order changes state: {0} is the new state, e.g. "Paid"'] }));
    if (!sameOrder || previous.payBy !== order.payBy) this.spoken = new Set();
    this.renderCountdown();
  }

  private renderCountdown(): void {
    const order = this.order;
    // No countdown once the buyer has paid or the order closed: the deadline no longer binds.
    if (!order || order.state !== 'awaiting-payment' || order.payBy === undefined) {
      this.countdown.hidden = true;
      this.countdown.textContent = '';
      this.tick.clear();
      return;
    }
    this.countdown.hidden = false;
    const msLeft = order.payBy - Date.now();
    if (msLeft <= 0) {
      this.countdown.textContent = l10n.t({ message: 'payment overdue', comment: ['In the pane header, after the order state'] });
      this.countdown.dataset.overdue = 'true';
      this.speakOnce('overdue', l10n.t('Payment overdue'));
      // Nothing changes from here on: no timer.
      this.tick.clear();
      return;
    }
    delete this.countdown.dataset.overdue;
    const text = countdownText(msLeft);
    this.countdown.textContent = l10n.t({ message: 'Pay within {0}', args: [text], comment: ['{0} is a countdown such as 04:05 (minutes:seconds) or 1:02:03'] });
    const secondsLeft = Math.ceil(msLeft / 1000);
    const crossed = SPOKEN_MARKS_S.filter((mark) => secondsLeft <= mark && !this.spoken.has(mark));
    if (crossed.length > 0) {
      // Once, however many marks were passed: opening a chat with 40 s left says one thing, not two.
      for (const mark of crossed) this.spoken.add(mark);
      this.announce(l10n.t({ message: '{0} left to pay', args: [text], comment: ['{0} is a countdown such as 04:05 (minutes:seconds) or 1:02:03'] }));
    }
    // Wake when the shown second changes (one timer at a time).
    this.tick.value = timeout(() => this.renderCountdown(), ((msLeft - 1) % 1000) + 1);
  }

  private speakOnce(key: 'overdue', text: string): void {
    if (this.spoken.has(key)) return;
    this.spoken.add(key);
    this.announce(text);
  }

  dispose(): void {
    this.tick.dispose();
  }
}
