/** A small indeterminate progress ring with an accessible label. */
export function createSpinner(label: string, className = 'spinner'): HTMLElement {
  const ring = document.createElement('vscode-progress-ring');
  ring.className = className;
  ring.setAttribute('aria-label', label);
  return ring;
}
