// Starts the local venue emulators (`dist/sandbox.js`, every venue it has) as a child process, or
// uses the one that `npm start` already started (env VENUE_CHAT_SANDBOX), and reads their seeded
// accounts (sandboxInfo.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import * as vscode from 'vscode';
import type { Logger } from '../core/logger';
import { SANDBOX_READY_PREFIX, parseSandboxInfo, type SandboxInfo } from './sandboxInfo';

export class SandboxLauncher implements vscode.Disposable {
  private child: ChildProcess | undefined;
  private info: Promise<SandboxInfo> | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly logger: Logger,
  ) {}

  /** The running sandbox's accounts, starting it if needed. */
  ensure(): Promise<SandboxInfo> {
    if (this.info) return this.info;
    const fromEnv = process.env.VENUE_CHAT_SANDBOX;
    const external = fromEnv ? parseSandboxInfo(fromEnv) : undefined;
    if (external) {
      this.logger.info('using the sandbox started by npm start');
      this.info = Promise.resolve(external);
      return this.info;
    }
    this.info = this.spawn().catch((err: unknown) => {
      this.info = undefined;
      throw err;
    });
    return this.info;
  }

  private spawn(): Promise<SandboxInfo> {
    const script = vscode.Uri.joinPath(this.extensionUri, 'dist', 'sandbox.js').fsPath;
    // In desktop VS Code execPath is Electron; ELECTRON_RUN_AS_NODE makes it a plain Node.
    const child = spawn(process.execPath, [script, '--port', '0', '--exit-with-parent', '--pair-after-ms', '30000'], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    const stderr = createInterface({ input: child.stderr! });
    stderr.on('line', (line) => this.logger.debug(`sandbox: ${line}`));
    return new Promise<SandboxInfo>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error('the sandbox did not start within 15 s'));
        child.kill();
      }, 15_000);
      const stdout = createInterface({ input: child.stdout! });
      stdout.on('line', (line) => {
        if (!line.startsWith(SANDBOX_READY_PREFIX)) return;
        const info = parseSandboxInfo(line.slice(SANDBOX_READY_PREFIX.length));
        clearTimeout(timer);
        if (info) resolve(info);
        else reject(new Error('the sandbox printed an unreadable ready line'));
      });
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        this.child = undefined;
        this.info = undefined;
        reject(new Error(`the sandbox exited (code ${code ?? 'null'})`));
        this.logger.info(`sandbox exited with code ${code ?? 'null'}`);
      });
    });
  }

  dispose(): void {
    this.child?.stdin?.end();
    this.child?.kill();
    this.child = undefined;
  }
}
