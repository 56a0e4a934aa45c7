import type { Button } from '@vscode/webview-ui-toolkit';
import type { SafeAttribute } from '../dom';

export type ButtonAppearance = 'primary' | 'secondary' | 'icon';

export interface ButtonOptions {
  /** Visible label; for icon buttons pass `ariaLabel` and an `icon` instead. */
  readonly label?: string;
  readonly appearance?: ButtonAppearance;
  readonly icon?: Element;
  readonly ariaLabel?: string;
  readonly title?: string;
  readonly className?: string;
  readonly disabled?: boolean;
  /** `data-*` values used by delegated click handlers (inert text). */
  readonly data?: Readonly<Record<string, string>>;
}

/** A themed, keyboard-reachable button. Returns a plain HTMLElement so callers stay toolkit-agnostic. */
export function createButton(options: ButtonOptions): HTMLElement {
  const button = document.createElement('vscode-button') as Button;
  button.setAttribute('appearance', options.appearance ?? 'secondary');
  if (options.className) button.className = options.className;
  if (options.icon) {
    // The toolkit's start slot places the icon before the label with its own spacing.
    if (options.label) options.icon.setAttribute('slot', 'start');
    button.append(options.icon);
  }
  if (options.label) button.append(document.createTextNode(options.label));
  const attrs: Partial<Record<SafeAttribute, string | undefined>> = { 'aria-label': options.ariaLabel, title: options.title };
  for (const [name, value] of Object.entries(attrs)) if (value !== undefined) button.setAttribute(name, value);
  if (options.data) for (const [name, value] of Object.entries(options.data)) button.dataset[name] = value;
  if (options.disabled) button.setAttribute('disabled', '');
  return button;
}

/** A toggle button's state: `aria-pressed` for assistive technology, the primary look while on. */
export function setButtonPressed(button: HTMLElement, pressed: boolean): void {
  button.setAttribute('aria-pressed', String(pressed));
  button.setAttribute('appearance', pressed ? 'primary' : 'secondary');
}

export function setButtonDisabled(button: HTMLElement, disabled: boolean): void {
  button.toggleAttribute('disabled', disabled);
}

export function isButtonDisabled(button: Element): boolean {
  return button.hasAttribute('disabled');
}

export function setButtonLabel(button: HTMLElement, label: string): void {
  // Keep a slotted icon, replace the text.
  for (const node of [...button.childNodes]) if (node.nodeType === Node.TEXT_NODE) node.remove();
  button.append(document.createTextNode(label));
}
