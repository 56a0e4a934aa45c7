// Saving an attachment against loopback servers: progress (throttled, ending at the total), the
// .part file renamed only when complete, cancel and failures leaving nothing behind, the size cap
// (announced and while streaming), HTTP errors and redirects in words, the venue's fresh link over
// a lapsed stored one, and a file the adapter saved copied only from its media folder.
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Attachment, ChatMessage } from '../../../../src/shared/model';
import { systemClock } from '../../../../src/extension/core/clock';
import { AttachmentDownloader, ProgressThrottle, type DownloadBytes } from '../../../../src/extension/core/download/attachmentDownload';
import { DownloadError } from '../../../../src/extension/core/download/downloadError';
import { downloadErrorText } from '../../../../src/extension/core/download/downloadErrorText';
import { partPath } from '../../../../src/extension/core/download/fileDownload';
import { VenueError } from '../../../../src/extension/venues/venue';
import { until } from '../../helpers/until';
import { startHttpServer, type HttpTestServer } from '../connection/loopbackServers';

const KEY = 'mixin:acc-1:conv-1:m-1';

function fileMessage(attachments: Attachment[]): ChatMessage {
  return { key: KEY, venue: 'mixin', accountId: 'acc-1', conversationId: 'conv-1', venueMessageId: 'm-1', direction: 'in', kind: 'file', attachments, time: Date.UTC(2026, 0, 5) };
}

/** Deterministic bytes, so a mix-up of chunks shows. */
function bytes(n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + (i >> 8)) & 0xff;
  return b;
}

function expectFailure(reason: DownloadError['reason']) {
  return (err: unknown) => {
    assert.ok(err instanceof DownloadError, `a DownloadError, got ${String(err)}`);
    assert.equal(err.reason, reason, err.message);
    return true;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('attachment download (core)', function () {
  this.timeout(20_000);
  let dir: string;
  let server: HttpTestServer | undefined;
  /** Routes of the current test's server: path → handler. */
  let routes: Record<string, (res: ServerResponse) => void | Promise<void>>;
  const closed: string[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'venue-chat-download-'));
    routes = {};
    closed.length = 0;
    server = await startHttpServer((req, res) => {
      const path = req.url.split('?')[0]!;
      res.on('close', () => closed.push(path));
      const route = routes[path];
      if (!route) {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end('not here');
        return;
      }
      void route(res);
    });
  });

  afterEach(async () => {
    await server?.close();
    server = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  const url = (path: string) => `${server!.url}${path}`;
  const target = (name = 'saved.bin') => join(dir, name);

  /** Serves `body` in `chunks` pieces, `gapMs` apart, with or without a Content-Length. */
  function serveSlowly(path: string, body: Buffer, chunks: number, gapMs: number, withLength = true, hold?: Promise<void>): void {
    routes[path] = async (res) => {
      res.writeHead(200, { 'Content-Type': 'application/pdf', ...(withLength ? { 'Content-Length': String(body.length) } : {}) });
      const size = Math.ceil(body.length / chunks);
      for (let i = 0; i < chunks; i++) {
        if (res.destroyed) return;
        res.write(body.subarray(i * size, (i + 1) * size));
        if (i === Math.floor(chunks / 2) - 1 && hold) await hold;
        else await sleep(gapMs);
      }
      res.end();
    };
  }

  it('streams the bytes with throttled progress that ends at the total, and leaves no .part behind', async () => {
    const body = bytes(300_000);
    serveSlowly('/invoice.pdf', body, 30, 15);
    const progress: DownloadBytes[] = [];
    const started = Date.now();
    const saved = await new AttachmentDownloader().download({
      message: fileMessage([{ kind: 'file', name: 'invoice.pdf', url: url('/invoice.pdf') }]),
      index: 0,
      target: target(),
      signal: new AbortController().signal,
      onProgress: (p) => progress.push(p),
    });
    const elapsed = Date.now() - started;
    assert.equal(saved.bytes, body.length);
    assert.equal(saved.source, 'stored-link');
    assert.deepEqual(await readFile(target()), body);
    assert.equal(existsSync(partPath(target())), false);
    assert.ok(progress.length >= 2, `several reports (${progress.length})`);
    assert.ok(progress.length <= Math.ceil(elapsed / 100) + 2, `at most ~10 a second: ${progress.length} in ${elapsed} ms`);
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i]!.received > progress[i - 1]!.received, 'received only grows');
    assert.ok(progress.every((p) => p.total === body.length), 'the total from Content-Length');
    assert.deepEqual(progress.at(-1), { received: body.length, total: body.length }, 'the last report is the whole file');
  });

  it('writes <target>.part while streaming and renames it only once complete', async () => {
    const body = bytes(64_000);
    let release!: () => void;
    serveSlowly('/held.bin', body, 8, 1, true, new Promise<void>((r) => (release = r)));
    const done = new AttachmentDownloader().download({ message: fileMessage([{ kind: 'file', url: url('/held.bin') }]), index: 0, target: target(), signal: new AbortController().signal });
    await until(() => existsSync(partPath(target())), 5000, 'the .part file');
    await until(() => existsSync(partPath(target())) && statSync(partPath(target())).size >= 32_000, 5000, 'half the bytes in the .part');
    assert.equal(existsSync(target()), false, 'nothing under the real name while it streams');
    release();
    assert.equal((await done).bytes, body.length);
    assert.deepEqual(await readFile(target()), body);
    assert.deepEqual(await readdir(dir), ['saved.bin']);
  });

  it('cancel ends the request and removes the .part (no file under either name)', async () => {
    const body = bytes(64_000);
    serveSlowly('/slow.bin', body, 8, 1, true, new Promise<void>(() => undefined));
    const controller = new AbortController();
    const done = new AttachmentDownloader().download({ message: fileMessage([{ kind: 'file', url: url('/slow.bin') }]), index: 0, target: target(), signal: controller.signal });
    await until(() => existsSync(partPath(target())), 5000, 'the .part file');
    controller.abort();
    await assert.rejects(done, expectFailure('cancelled'));
    assert.deepEqual(await readdir(dir), []);
    await until(() => closed.includes('/slow.bin'), 5000, 'the server to see the connection closed');
  });

  it('refuses a file over the cap from its Content-Length, before writing anything', async () => {
    routes['/big.bin'] = (res) => {
      res.writeHead(200, { 'Content-Length': '5000' });
      res.end(bytes(5000));
    };
    const done = new AttachmentDownloader({ maxBytes: 1000 }).download({ message: fileMessage([{ kind: 'file', url: url('/big.bin') }]), index: 0, target: target(), signal: new AbortController().signal });
    await assert.rejects(done, (err: unknown) => {
      assert.ok(err instanceof DownloadError && err.failure.reason === 'too-large');
      assert.deepEqual(err.failure, { reason: 'too-large', limit: 1000, size: 5000 });
      assert.match(downloadErrorText(err), /^The file is [\d.]+ MB; downloads are limited to [\d.]+ MB\.$/);
      return true;
    });
    assert.deepEqual(await readdir(dir), []);
  });

  it('stops a stream without a length once it passes the cap, and removes the .part', async () => {
    serveSlowly('/endless.bin', bytes(50_000), 10, 5, false);
    const done = new AttachmentDownloader({ maxBytes: 12_000 }).download({ message: fileMessage([{ kind: 'file', url: url('/endless.bin') }]), index: 0, target: target(), signal: new AbortController().signal });
    await assert.rejects(done, (err: unknown) => {
      assert.ok(err instanceof DownloadError);
      assert.deepEqual(err.failure, { reason: 'too-large', limit: 12_000 });
      assert.match(downloadErrorText(err), /larger than the .* MB download limit; nothing was saved/);
      return true;
    });
    assert.deepEqual(await readdir(dir), []);
  });

  it('reports progress without a total when the server sends no length', async () => {
    const body = bytes(40_000);
    serveSlowly('/chunked.bin', body, 4, 120, false);
    const progress: DownloadBytes[] = [];
    await new AttachmentDownloader().download({ message: fileMessage([{ kind: 'file', url: url('/chunked.bin') }]), index: 0, target: target(), signal: new AbortController().signal, onProgress: (p) => progress.push(p) });
    assert.ok(progress.length >= 2);
    assert.ok(progress.every((p) => p.total === undefined));
    assert.equal(progress.at(-1)!.received, body.length);
    assert.deepEqual(await readFile(target()), body);
  });

  it('a 404 is a clear error and nothing is written', async () => {
    const done = new AttachmentDownloader().download({ message: fileMessage([{ kind: 'file', url: url('/gone.pdf') }]), index: 0, target: target(), signal: new AbortController().signal });
    await assert.rejects(done, (err: unknown) => {
      assert.ok(err instanceof DownloadError);
      assert.deepEqual(err.failure, { reason: 'http-status', status: 404 });
      assert.equal(downloadErrorText(err), 'The file is gone from the server (HTTP 404).');
      return true;
    });
    assert.deepEqual(await readdir(dir), []);
  });

  it('a transfer cut short of its Content-Length fails and keeps no half file', async () => {
    routes['/cut.bin'] = (res) => {
      res.writeHead(200, { 'Content-Length': '10000' });
      res.write(bytes(4000));
      setTimeout(() => res.destroy(), 30);
    };
    const done = new AttachmentDownloader().download({ message: fileMessage([{ kind: 'file', url: url('/cut.bin') }]), index: 0, target: target(), signal: new AbortController().signal });
    await assert.rejects(done, expectFailure('network'));
    assert.deepEqual(await readdir(dir), []);
  });

  it('a server that goes quiet past the idle timeout fails as a network error', async () => {
    serveSlowly('/stalls.bin', bytes(10_000), 4, 1, true, new Promise<void>(() => undefined));
    const done = new AttachmentDownloader({ idleTimeoutMs: 300 }).download({ message: fileMessage([{ kind: 'file', url: url('/stalls.bin') }]), index: 0, target: target(), signal: new AbortController().signal });
    await assert.rejects(done, (err: unknown) => {
      assert.ok(err instanceof DownloadError && err.failure.reason === 'network');
      assert.match(err.message, /nothing arrived/);
      return true;
    });
    assert.deepEqual(await readdir(dir), []);
  });

  it('follows redirects up to the limit, only to http(s)', async () => {
    const body = bytes(2000);
    routes['/file'] = (res) => {
      res.writeHead(200, { 'Content-Length': String(body.length) });
      res.end(body);
    };
    const redirect = (to: string) => (res: ServerResponse) => {
      res.writeHead(302, { Location: to });
      res.end();
    };
    routes['/r1'] = redirect('/file');
    routes['/loop'] = redirect('/loop');
    routes['/ftp'] = redirect('ftp://127.0.0.1/file');
    const get = (path: string, name: string) => new AttachmentDownloader({ maxRedirects: 3 }).download({ message: fileMessage([{ kind: 'file', url: url(path) }]), index: 0, target: target(name), signal: new AbortController().signal });
    assert.equal((await get('/r1', 'one.bin')).bytes, body.length);
    assert.deepEqual(await readFile(target('one.bin')), body);
    await assert.rejects(get('/loop', 'loop.bin'), (err: unknown) => {
      assert.ok(err instanceof DownloadError);
      assert.deepEqual(err.failure, { reason: 'too-many-redirects', limit: 3 });
      assert.equal(downloadErrorText(err), 'The link redirected more than 3 times; nothing was saved.');
      return true;
    });
    assert.equal(server!.received.filter((r) => r.url === '/loop').length, 4, 'the first request and three redirects');
    await assert.rejects(get('/ftp', 'ftp.bin'), expectFailure('unsupported-link'));
    assert.deepEqual(await readdir(dir), ['one.bin']);
  });

  it('an expired link is refreshed through the adapter; the stored one is not even tried', async () => {
    const body = bytes(5000);
    routes['/view/expired'] = (res) => {
      res.writeHead(403, { 'Content-Type': 'application/xml' });
      res.end('<Error><Code>ExpiredToken</Code></Error>');
    };
    routes['/view/fresh'] = (res) => {
      res.writeHead(200, { 'Content-Length': String(body.length) });
      res.end(body);
    };
    const attachment: Attachment = { kind: 'file', ref: 'att-1', name: 'invoice.pdf', url: url('/view/expired'), expiresAt: Date.now() - 60_000 };
    const asked: { message: ChatMessage; attachment: Attachment }[] = [];
    const adapter = {
      attachmentUrl: (message: ChatMessage, a: Attachment) => {
        asked.push({ message, attachment: a });
        return Promise.resolve(url('/view/fresh'));
      },
    };
    const saved = await new AttachmentDownloader().download({ message: fileMessage([attachment]), index: 0, target: target(), signal: new AbortController().signal, adapter });
    assert.equal(saved.source, 'venue-link');
    assert.deepEqual(await readFile(target()), body);
    assert.equal(asked.length, 1);
    assert.equal(asked[0]!.attachment.ref, 'att-1');
    assert.equal(server!.received.some((r) => r.url === '/view/expired'), false);
  });

  it('when the venue cannot be asked: a live stored link is used, a lapsed one is an error', async () => {
    const body = bytes(3000);
    routes['/view/stored'] = (res) => {
      res.writeHead(200, { 'Content-Length': String(body.length) });
      res.end(body);
    };
    const adapter = { attachmentUrl: () => Promise.reject(new VenueError('unavailable', 'Mixin had a server error (500)')) };
    const live: Attachment = { kind: 'file', ref: 'att-2', url: url('/view/stored'), expiresAt: Date.now() + 60_000 };
    const saved = await new AttachmentDownloader().download({ message: fileMessage([live]), index: 0, target: target('live.bin'), signal: new AbortController().signal, adapter });
    assert.equal(saved.source, 'stored-link');
    const lapsed: Attachment = { ...live, expiresAt: Date.now() - 1 };
    await assert.rejects(new AttachmentDownloader().download({ message: fileMessage([lapsed]), index: 0, target: target('lapsed.bin'), signal: new AbortController().signal, adapter }), (err: unknown) => {
      assert.ok(err instanceof DownloadError);
      assert.deepEqual(err.failure, { reason: 'venue', detail: 'Mixin had a server error (500)' });
      assert.equal(downloadErrorText(err), 'The venue did not give a download link: Mixin had a server error (500)');
      return true;
    });
    // Without an adapter that can refresh, a lapsed link says so (no request is made).
    const before = server!.received.length;
    await assert.rejects(new AttachmentDownloader().download({ message: fileMessage([lapsed]), index: 0, target: target('old.bin'), signal: new AbortController().signal }), expectFailure('link-expired'));
    assert.equal(server!.received.length, before);
    assert.deepEqual((await readdir(dir)).sort(), ['live.bin']);
  });

  it('copies a file the adapter saved from its media folder, and nothing from elsewhere', async () => {
    const media = join(dir, 'media', 'acc-1');
    await mkdir(media, { recursive: true });
    const saved = join(media, 'doc.pdf');
    const body = bytes(7000);
    await writeFile(saved, body);
    const outside = join(dir, 'secret.txt');
    await writeFile(outside, 'not yours');
    await symlink(outside, join(media, 'sneaky.pdf'));
    const out = join(dir, 'out');
    await mkdir(out);
    const progress: DownloadBytes[] = [];
    const copy = await new AttachmentDownloader().download({ message: fileMessage([{ kind: 'file', url: pathToFileURL(saved).href }]), index: 0, target: join(out, 'doc.pdf'), signal: new AbortController().signal, mediaDir: media, onProgress: (p) => progress.push(p) });
    assert.equal(copy.source, 'media-file');
    assert.deepEqual(await readFile(join(out, 'doc.pdf')), body);
    assert.deepEqual(progress.at(-1), { received: body.length, total: body.length });
    for (const path of [outside, join(media, 'sneaky.pdf')]) {
      await assert.rejects(
        new AttachmentDownloader().download({ message: fileMessage([{ kind: 'file', url: pathToFileURL(path).href }]), index: 0, target: join(out, 'x'), signal: new AbortController().signal, mediaDir: media }),
        expectFailure('unsupported-link'),
      );
    }
    await assert.rejects(
      new AttachmentDownloader().download({ message: fileMessage([{ kind: 'file', url: pathToFileURL(saved).href }]), index: 0, target: join(out, 'y'), signal: new AbortController().signal }),
      expectFailure('unsupported-link'),
      'no media folder, no copy',
    );
    assert.deepEqual(await readdir(out), ['doc.pdf']);
    assert.equal((await stat(join(out, 'doc.pdf'))).size, body.length);
  });

  it('names what is missing: no attachment at the index, no link, a link of another scheme', async () => {
    const run = (attachments: Attachment[], index = 0) => new AttachmentDownloader().download({ message: fileMessage(attachments), index, target: target(), signal: new AbortController().signal });
    await assert.rejects(run([{ kind: 'file', url: url('/x') }], 1), expectFailure('not-found'));
    await assert.rejects(run([{ kind: 'file', name: 'a.pdf' }]), (err: unknown) => {
      assert.ok(err instanceof DownloadError && err.reason === 'no-link');
      assert.equal(downloadErrorText(err), 'The venue sent no download link for this file.');
      return true;
    });
    await assert.rejects(run([{ kind: 'file', url: 'javascript:alert(1)' }]), expectFailure('unsupported-link'));
    assert.deepEqual(await readdir(dir), []);
  });
});

describe('ProgressThrottle', () => {
  it('passes the first report, then at most one per interval, and flushes the last one held back', () => {
    let now = 1000;
    const clock = { ...systemClock, now: () => now };
    const seen: number[] = [];
    const throttle = new ProgressThrottle(clock, 100, (p) => seen.push(p.received));
    throttle.report({ received: 1 });
    now += 40;
    throttle.report({ received: 2 });
    now += 40;
    throttle.report({ received: 3 });
    now += 30;
    throttle.report({ received: 4 });
    throttle.report({ received: 5 });
    assert.deepEqual(seen, [1, 4]);
    throttle.flush();
    assert.deepEqual(seen, [1, 4, 5]);
    throttle.flush();
    assert.deepEqual(seen, [1, 4, 5], 'nothing held: nothing more');
  });
});
