// The webview side of VS Code's bridge. `acquireVsCodeApi()` may be called only once per page,
// so this module calls it once and hands the same object to everyone.

/** The subset of VS Code's webview API the pane uses. */
export interface WebviewApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState<T>(state: T): T;
}

declare global {
  /** Injected by VS Code into every webview (and by the test harness's fake). */
  function acquireVsCodeApi(): WebviewApi;
}

let api: WebviewApi | undefined;

export function vscodeApi(): WebviewApi {
  api ??= acquireVsCodeApi();
  return api;
}
