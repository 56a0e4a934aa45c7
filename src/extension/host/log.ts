// The "Venue Chat" LogOutputChannel behind the core Logger seam, with every line redacted.
import * as vscode from 'vscode';
import type { Logger } from '../core/logger';
import { Redactor } from '../core/redact';

export class RedactingLog implements Logger, vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  readonly redactor = new Redactor();

  constructor(name = 'Venue Chat') {
    this.channel = vscode.window.createOutputChannel(name, { log: true });
  }

  private line(message: string | Error, args: unknown[]): string {
    const head = this.redactor.format(message);
    return args.length === 0 ? head : `${head} ${args.map((a) => this.redactor.format(a)).join(' ')}`;
  }

  trace(message: string, ...args: unknown[]): void {
    this.channel.trace(this.line(message, args));
  }
  debug(message: string, ...args: unknown[]): void {
    this.channel.debug(this.line(message, args));
  }
  info(message: string, ...args: unknown[]): void {
    this.channel.info(this.line(message, args));
  }
  warn(message: string, ...args: unknown[]): void {
    this.channel.warn(this.line(message, args));
  }
  error(message: string | Error, ...args: unknown[]): void {
    this.channel.error(this.line(message, args));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
