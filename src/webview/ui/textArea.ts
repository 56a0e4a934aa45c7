import type { TextArea } from '@vscode/webview-ui-toolkit';

export interface TextAreaOptions {
  readonly ariaLabel: string;
  readonly placeholder?: string;
  readonly rows?: number;
  readonly className?: string;
}

/** What the composer needs from a multi-line text box, independent of the toolkit. */
export interface TextAreaHandle {
  /** The element to place in the DOM. Key, input and composition events bubble out of it. */
  readonly element: HTMLElement;
  value: string;
  focus(): void;
}

export function createTextArea(options: TextAreaOptions): TextAreaHandle {
  const area = document.createElement('vscode-text-area') as TextArea;
  area.setAttribute('aria-label', options.ariaLabel);
  area.setAttribute('resize', 'vertical');
  area.setAttribute('rows', String(options.rows ?? 3));
  if (options.placeholder) area.setAttribute('placeholder', options.placeholder);
  if (options.className) area.className = options.className;
  return {
    element: area,
    get value(): string {
      return area.value ?? '';
    },
    set value(text: string) {
      area.value = text;
    },
    focus: () => area.focus(),
  };
}
