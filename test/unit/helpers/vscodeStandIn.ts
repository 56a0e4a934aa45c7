// A minimal stand-in for the `vscode` module, for running the built extension (dist/extension.js)
// in plain Node: the activation and idle benches, and the unit test of what activation loads. The
// real API exists only inside VS Code's extension host. It implements what activation and an idle inbox call (output channel, tree view,
// status bar, commands, context keys, configuration, mementos, secrets) and counts what would
// reach the workbench: tree refreshes, badge and status bar changes, context keys, webview posts.
import { EventEmitter as NodeEmitter } from 'node:events';
import Module from 'node:module';
import { join, posix } from 'node:path';

/** Calls that would make the workbench repaint something (or that go to the renderer at all). */
export interface WorkbenchActivity {
  treeRefreshes: number;
  badgeSets: number;
  statusBarSets: number;
  contextKeySets: number;
  webviewPosts: number;
  notifications: number;
  logLines: number;
}

export function emptyActivity(): WorkbenchActivity {
  return { treeRefreshes: 0, badgeSets: 0, statusBarSets: 0, contextKeySets: 0, webviewPosts: 0, notifications: 0, logLines: 0 };
}

type Listener<T> = (value: T) => unknown;

interface DisposableLike {
  dispose(): unknown;
}

class Disposable {
  static from(...items: DisposableLike[]): Disposable {
    return new Disposable(() => {
      for (const d of items) d.dispose();
    });
  }
  constructor(private readonly onDispose: () => unknown) {}
  dispose(): void {
    this.onDispose();
  }
}

class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  readonly event = (listener: Listener<T>, thisArg?: unknown, disposables?: DisposableLike[]): Disposable => {
    const bound: Listener<T> = thisArg === undefined ? listener : (v) => listener.call(thisArg, v);
    this.listeners.push(bound);
    const d = new Disposable(() => {
      this.listeners = this.listeners.filter((l) => l !== bound);
    });
    disposables?.push(d);
    return d;
  };
  fire(value: T): void {
    for (const l of [...this.listeners]) l(value);
  }
  dispose(): void {
    this.listeners = [];
  }
}

class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}
  static file(path: string): Uri {
    return new Uri('file', path);
  }
  static parse(value: string): Uri {
    const u = new URL(value);
    return new Uri(u.protocol.slice(0, -1), u.pathname);
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(base.scheme, base.scheme === 'file' ? join(base.path, ...parts) : posix.join(base.path, ...parts));
  }
  get fsPath(): string {
    return this.path;
  }
  with(change: { path?: string }): Uri {
    return new Uri(this.scheme, change.path ?? this.path);
  }
  toString(): string {
    return `${this.scheme}://${this.path}`;
  }
}

class TreeItem {
  id?: string;
  description?: string;
  tooltip?: unknown;
  iconPath?: unknown;
  contextValue?: string;
  command?: unknown;
  accessibilityInformation?: unknown;
  constructor(
    readonly label: string,
    readonly collapsibleState?: number,
  ) {}
}

class ThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: ThemeColor,
  ) {}
}

class ThemeColor {
  constructor(readonly id: string) {}
}

class MarkdownString {
  isTrusted = false;
  supportHtml = false;
  constructor(
    public value = '',
    readonly supportThemeIcons = false,
  ) {}
  appendText(text: string): this {
    this.value += text;
    return this;
  }
  appendMarkdown(text: string): this {
    this.value += text;
    return this;
  }
}

class Memento {
  private readonly values = new Map<string, unknown>();
  constructor(initial: Readonly<Record<string, unknown>> = {}) {
    for (const [k, v] of Object.entries(initial)) this.values.set(k, v);
  }
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
  get<T>(key: string, fallback?: T): T | undefined {
    return this.values.has(key) ? (this.values.get(key) as T) : fallback;
  }
  update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, structuredClone(value));
    return Promise.resolve();
  }
  setKeysForSync(): void {}
}

class SecretStorage {
  private readonly values: Map<string, string>;
  private readonly changed = new EventEmitter<{ key: string }>();
  readonly onDidChange = this.changed.event;
  constructor(initial: Readonly<Record<string, string>> = {}) {
    this.values = new Map(Object.entries(initial));
  }
  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this.values.get(key));
  }
  store(key: string, value: string): Promise<void> {
    this.values.set(key, value);
    return Promise.resolve();
  }
  delete(key: string): Promise<void> {
    this.values.delete(key);
    return Promise.resolve();
  }
}

function format(message: string, ...args: unknown[]): string {
  return message.replace(/\{(\d+)\}/g, (m, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : m));
}

/** Makes `require('vscode')` return the stand-in's module; returns the undo. */
export function registerStandIn(vscode: Record<string, unknown>): () => void {
  // The extension host resolves `require('vscode')` to its API object; so does this hook.
  const loader = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
  const load = loader._load;
  loader._load = function (request, parent, isMain) {
    return request === 'vscode' ? vscode : load.call(this, request, parent, isMain);
  };
  return () => {
    loader._load = load;
  };
}

/** A webview panel the stand-in made: what the host set and posted, and `say` for what its page posts. */
export interface StandInPanel {
  readonly webview: { html: string; options: unknown };
  visible: boolean;
  active: boolean;
  title: string;
  readonly viewColumn: number | undefined;
  disposed: boolean;
  /** Every message the host posted to the page. */
  readonly posted: unknown[];
  /** The page posts `message` to the host. */
  say(message: unknown): void;
  /** The workbench shows, hides, focuses or unfocuses the panel (fires onDidChangeViewState). */
  setViewState(visible: boolean, active: boolean): void;
  reveal(): void;
  readonly onDidDispose: unknown;
  readonly onDidChangeViewState: unknown;
  dispose(): void;
}

export interface StandIn {
  /** The object `require('vscode')` returns. */
  readonly module: Record<string, unknown>;
  readonly activity: WorkbenchActivity;
  /** Every webview panel made, in order. */
  readonly panels: readonly StandInPanel[];
  /** Emits `statusBarShown` when the status bar item is shown (the hub has an account). */
  readonly signals: NodeEmitter;
  /** `vscode.commands.executeCommand`, as a script or the integration tests call it. */
  executeCommand(id: string, ...args: unknown[]): Promise<unknown>;
  context(options: { storageDir: string; extensionDir: string; globalState?: Readonly<Record<string, unknown>>; secrets?: Readonly<Record<string, string>> }): Record<string, unknown>;
}

export function createStandIn(): StandIn {
  const activity = emptyActivity();
  const signals = new NodeEmitter();
  const commands = new Map<string, (...args: unknown[]) => unknown>();
  const noop = (): void => undefined;

  const logChannel = () => {
    const line = () => void activity.logLines++;
    return { name: 'Venue Chat', trace: line, debug: line, info: line, warn: line, error: line, append: noop, appendLine: line, replace: noop, clear: noop, show: noop, hide: noop, dispose: noop, logLevel: 2, onDidChangeLogLevel: new EventEmitter<number>().event };
  };

  const createTreeView = (_id: string, options: { treeDataProvider: { onDidChangeTreeData?: (l: () => void) => DisposableLike } }) => {
    const sub = options.treeDataProvider.onDidChangeTreeData?.(() => void activity.treeRefreshes++);
    let badge: unknown;
    return {
      selection: [],
      visible: true,
      get badge() {
        return badge;
      },
      set badge(value: unknown) {
        badge = value;
        activity.badgeSets++;
      },
      reveal: () => Promise.resolve(),
      onDidChangeSelection: new EventEmitter<unknown>().event,
      onDidChangeVisibility: new EventEmitter<unknown>().event,
      dispose: () => sub?.dispose(),
    };
  };

  const createStatusBarItem = () => {
    const props: Record<string, unknown> = {};
    const item: Record<string, unknown> = {
      show: () => {
        activity.statusBarSets++;
        signals.emit('statusBarShown');
      },
      hide: () => void activity.statusBarSets++,
      dispose: noop,
    };
    for (const key of ['text', 'tooltip', 'name', 'command', 'backgroundColor', 'color', 'accessibilityInformation']) {
      Object.defineProperty(item, key, {
        get: () => props[key],
        set: (value: unknown) => {
          props[key] = value;
          activity.statusBarSets++;
        },
      });
    }
    return item;
  };

  const panels: StandInPanel[] = [];
  const createWebviewPanel = (_viewType: string, _title: string, show: { viewColumn?: number; preserveFocus?: boolean } | number) => {
    const disposed = new EventEmitter<void>();
    const received = new EventEmitter<unknown>();
    const viewState = new EventEmitter<unknown>();
    const posted: unknown[] = [];
    const webview = {
      html: '', options: {}, cspSource: 'vscode-resource:', asWebviewUri: (u: Uri) => u,
      postMessage: (message: unknown) => ((activity.webviewPosts++, posted.push(message), Promise.resolve(true))),
      onDidReceiveMessage: received.event,
    };
    const where = typeof show === 'number' ? { viewColumn: show } : show;
    const panel: StandInPanel = {
      webview, visible: true, active: !where.preserveFocus, title: '', viewColumn: where.viewColumn, disposed: false, posted,
      reveal: noop,
      say: (message) => received.fire(message),
      setViewState: (visible, active) => {
        panel.visible = visible;
        panel.active = active;
        viewState.fire({ webviewPanel: panel });
      },
      onDidDispose: disposed.event,
      onDidChangeViewState: viewState.event,
      dispose: () => {
        if (panel.disposed) return;
        panel.disposed = true;
        disposed.fire();
      },
    };
    panels.push(panel);
    return panel;
  };

  const notify = () => {
    activity.notifications++;
    return Promise.resolve(undefined);
  };

  const executeCommand = (id: string, ...args: unknown[]): Promise<unknown> => {
    if (id === 'setContext') {
      activity.contextKeySets++;
      return Promise.resolve(undefined);
    }
    const run = commands.get(id);
    return run ? Promise.resolve(run(...args)) : Promise.reject(new Error(`stand-in: no command ${id}`));
  };

  const module: Record<string, unknown> = {
    Disposable,
    EventEmitter,
    Uri,
    TreeItem,
    ThemeIcon,
    ThemeColor,
    MarkdownString,
    TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
    StatusBarAlignment: { Left: 1, Right: 2 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2 },
    QuickPickItemKind: { Separator: -1, Default: 0 },
    l10n: { t: (message: string, ...args: unknown[]) => format(message, ...args), bundle: undefined },
    env: { openExternal: () => Promise.resolve(true), language: 'en' },
    window: {
      createOutputChannel: logChannel,
      createTreeView,
      createStatusBarItem,
      createWebviewPanel,
      registerWebviewPanelSerializer: () => new Disposable(noop),
      setStatusBarMessage: () => ((activity.statusBarSets++, new Disposable(noop))),
      showInformationMessage: notify,
      showWarningMessage: notify,
      showErrorMessage: notify,
      showQuickPick: () => Promise.resolve(undefined),
      showInputBox: () => Promise.resolve(undefined),
      showOpenDialog: () => Promise.resolve(undefined),
      showSaveDialog: () => Promise.resolve(undefined),
      withProgress: (_options: unknown, task: (progress: { report: () => void }, token: unknown) => Promise<unknown>) => task({ report: noop }, { isCancellationRequested: false, onCancellationRequested: new EventEmitter<void>().event }),
    },
    workspace: {
      getConfiguration: () => ({ get: <T>(_key: string, fallback?: T) => fallback, has: () => false, update: () => Promise.resolve() }),
      onDidChangeConfiguration: new EventEmitter<unknown>().event,
      fs: {},
    },
    commands: {
      registerCommand: (id: string, run: (...args: unknown[]) => unknown) => {
        commands.set(id, run);
        return new Disposable(() => commands.delete(id));
      },
      executeCommand,
    },
  };

  return {
    module,
    activity,
    panels,
    signals,
    executeCommand,
    context: ({ storageDir, extensionDir, globalState, secrets }) => ({
      subscriptions: [] as DisposableLike[],
      globalStorageUri: Uri.file(storageDir),
      logUri: Uri.file(join(storageDir, 'logs')),
      extensionUri: Uri.file(extensionDir),
      extensionPath: extensionDir,
      globalState: new Memento(globalState),
      workspaceState: new Memento(),
      secrets: new SecretStorage(secrets),
    }),
  };
}
