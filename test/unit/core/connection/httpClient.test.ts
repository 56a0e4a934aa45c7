import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { LookupFunction } from 'node:net';
import { systemClock, type Clock } from '../../../../src/extension/core/clock';
import { HttpClient, HttpRequestError, type HttpClientOptions, type SignInput } from '../../../../src/extension/core/connection/httpClient';
import { MultipartForm } from '../../../../src/extension/core/connection/multipart';
import { LOOPBACK_CERT } from './loopbackCert';
import { refusedPort, startHttpServer, startRawServer, type Handler, type HttpTestServer, type RawTestServer } from './loopbackServers';
import { until } from '../../helpers/until';

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Handler => (_req, res) => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

function expectHttpError(check: (e: HttpRequestError) => void): (err: unknown) => boolean {
  return (err: unknown) => {
    assert.ok(err instanceof HttpRequestError, `expected an HttpRequestError, got ${String(err)}`);
    check(err);
    return true;
  };
}

/** A clock frozen at `now` for the Retry-After arithmetic, with real timers. */
function frozenClock(now: number): Clock {
  return { ...systemClock, now: () => now };
}

describe('HttpClient', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  function client(baseUrl: string, options: Partial<HttpClientOptions> = {}): HttpClient {
    const c = new HttpClient({ baseUrl, venue: 'TestVenue', ...options });
    cleanup.push(() => c.dispose());
    return c;
  }
  async function http(handler: Handler, tls = false): Promise<HttpTestServer> {
    const s = await startHttpServer(handler, { tls });
    cleanup.push(() => s.close());
    return s;
  }
  async function raw(onRequest: Parameters<typeof startRawServer>[0], tls = false): Promise<RawTestServer> {
    const s = await startRawServer(onRequest, { tls });
    cleanup.push(() => s.close());
    return s;
  }

  describe('requests that cannot have left: unavailable', () => {
    it('a refused port, for a POST too', async () => {
      const port = await refusedPort();
      const c = client(`http://127.0.0.1:${port}`);
      await assert.rejects(
        c.request({ method: 'POST', path: '/send', body: { text: 'hi' } }),
        expectHttpError((e) => {
          assert.equal(e.kind, 'unavailable');
          assert.equal(e.mayHaveLeft, false);
          assert.match(e.message, /cannot reach TestVenue \(POST \/send\): connection refused/);
        }),
      );
    });

    it('a host name that does not resolve', async () => {
      const lookup: LookupFunction = (hostname, _options, callback) => {
        const err = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
        callback(err, '', 4);
      };
      const c = client('http://venue.invalid', { lookup });
      await assert.rejects(
        c.request({ method: 'POST', path: '/send', body: 'x' }),
        expectHttpError((e) => {
          assert.equal(e.kind, 'unavailable');
          assert.equal(e.mayHaveLeft, false);
          assert.match(e.message, /host not found \(ENOTFOUND\)/);
        }),
      );
    });

    it('a deadline that passes while still resolving the host', async () => {
      const lookup: LookupFunction = () => {}; // never answers
      const c = client('http://venue.invalid', { lookup, timeoutMs: 100 });
      await assert.rejects(
        c.request({ method: 'POST', path: '/send', body: 'x' }),
        expectHttpError((e) => {
          assert.equal(e.kind, 'unavailable');
          assert.equal(e.mayHaveLeft, false);
          assert.match(e.message, /no connection within 100 ms/);
        }),
      );
    });

    it('a certificate the client does not trust: nothing reaches the server', async () => {
      const server = await http(json(200, { ok: true }), true);
      const c = client(server.url);
      await assert.rejects(
        c.request({ method: 'POST', path: '/send', body: { text: 'hi' } }),
        expectHttpError((e) => {
          assert.equal(e.kind, 'unavailable');
          assert.equal(e.mayHaveLeft, false);
          assert.match(e.message, /TLS certificate rejected/);
        }),
      );
      assert.equal(server.received.length, 0);
      assert.equal(server.secureConnections(), 0);
    });

    it('a signal aborted before the request starts: nothing reaches the server', async () => {
      const server = await http(json(200, {}));
      const c = client(server.url);
      await assert.rejects(
        c.request({ method: 'POST', path: '/send', body: 'x', signal: AbortSignal.abort() }),
        expectHttpError((e) => {
          assert.equal(e.kind, 'unavailable');
          assert.equal(e.aborted, true);
          assert.equal(e.mayHaveLeft, false);
        }),
      );
      assert.equal(server.received.length, 0);
    });
  });

  describe('requests that may have left: unknown outcome', () => {
    it('the server closes the socket after reading the request (POST and GET)', async () => {
      const server = await raw((socket) => socket.destroy());
      const c = client(server.url);
      for (const method of ['POST', 'GET'] as const) {
        await assert.rejects(
          c.request({ method, path: '/send', body: method === 'POST' ? { text: 'hi' } : undefined }),
          expectHttpError((e) => {
            assert.equal(e.kind, 'unknown-outcome');
            assert.equal(e.mayHaveLeft, true);
            assert.match(e.message, new RegExp(`failed during ${method} /send .*it may have reached the venue`));
          }),
        );
      }
      assert.equal(server.requests.length, 2);
    });

    it('the same over TLS (trusted CA): the handshake completed, so the request may have left', async () => {
      const server = await raw((socket) => socket.destroy(), true);
      const c = client(server.url, { ca: LOOPBACK_CERT });
      await assert.rejects(
        c.request({ method: 'POST', path: '/send', body: 'x' }),
        expectHttpError((e) => assert.equal(e.kind, 'unknown-outcome')),
      );
      assert.equal(server.requests.length, 1);
    });

    it('a server slower than the deadline', async () => {
      const server = await http(() => {}); // reads the request, never answers
      const c = client(server.url, { timeoutMs: 200 });
      await assert.rejects(
        c.request({ method: 'POST', path: '/send', body: { text: 'hi' } }),
        expectHttpError((e) => {
          assert.equal(e.kind, 'unknown-outcome');
          assert.equal(e.mayHaveLeft, true);
          assert.match(e.message, /TestVenue did not answer POST \/send in time/);
        }),
      );
      assert.equal(server.received.length, 1);
    });

    it('a reply that is not HTTP', async () => {
      const server = await raw((socket) => socket.end('garbage that is not a status line\r\n\r\n'));
      const c = client(server.url);
      await assert.rejects(
        c.request({ method: 'GET', path: '/orders' }),
        expectHttpError((e) => assert.equal(e.kind, 'unknown-outcome')),
      );
    });

    it('a reply cut short (fewer bytes than its Content-Length)', async () => {
      const server = await raw((socket) => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"code":0');
        setImmediate(() => socket.destroy());
      });
      const c = client(server.url);
      await assert.rejects(
        c.request({ method: 'POST', path: '/send', body: {} }),
        expectHttpError((e) => {
          assert.equal(e.kind, 'unknown-outcome');
          assert.equal(e.mayHaveLeft, true);
        }),
      );
    });

    it('a 2xx whose body is garbled JSON, unless the caller expects text', async () => {
      const server = await http((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"code":0,"data":[1,2');
      });
      const c = client(server.url);
      await assert.rejects(
        c.request({ method: 'GET', path: '/orders' }),
        expectHttpError((e) => {
          assert.equal(e.kind, 'unknown-outcome');
          assert.match(e.message, /unreadable reply to GET \/orders \(HTTP 200\)/);
          assert.equal(e.response?.bodyText, '{"code":0,"data":[1,2');
        }),
      );
      const res = await c.request({ method: 'GET', path: '/orders', expectJson: false });
      assert.equal(res.bodyText, '{"code":0,"data":[1,2');
      assert.equal(res.json, undefined);
    });

    it('a signal aborted after the request was sent', async () => {
      const server = await http(() => {});
      const c = client(server.url);
      const controller = new AbortController();
      const pending = c.request({ method: 'POST', path: '/send', body: 'x', signal: controller.signal });
      await until(() => server.received.length === 1, 5000, 'the request to arrive');
      controller.abort();
      await assert.rejects(
        pending,
        expectHttpError((e) => {
          assert.equal(e.kind, 'unknown-outcome');
          assert.equal(e.aborted, true);
          assert.match(e.message, /was cancelled; it may have reached the venue/);
        }),
      );
    });

    it('dispose() cancels a request in flight and refuses new ones', async () => {
      const server = await http(() => {});
      const c = client(server.url);
      const pending = c.request({ method: 'GET', path: '/orders' });
      await until(() => server.received.length === 1, 5000, 'the request to arrive');
      c.dispose();
      await assert.rejects(pending, expectHttpError((e) => assert.equal(e.aborted, true)));
      await assert.rejects(c.request({ method: 'GET', path: '/orders' }), expectHttpError((e) => assert.equal(e.kind, 'unavailable')));
      assert.equal(server.received.length, 1);
    });
  });

  describe('statuses', () => {
    it('500 on a POST is an unknown outcome, on a GET (or an idempotent POST) plain unavailability', async () => {
      const server = await http(json(500, { msg: 'internal' }));
      const c = client(server.url, { errorDetail: (res) => (res.json as { msg?: string } | undefined)?.msg });
      await assert.rejects(
        c.request({ method: 'POST', path: '/send', body: {} }),
        expectHttpError((e) => {
          assert.equal(e.kind, 'unknown-outcome');
          assert.equal(e.venueCode, 500);
          assert.match(e.message, /TestVenue POST \/send failed with HTTP 500 \(internal\); it may have been carried out/);
        }),
      );
      await assert.rejects(c.request({ method: 'GET', path: '/orders' }), expectHttpError((e) => assert.equal(e.kind, 'unavailable')));
      await assert.rejects(c.request({ method: 'POST', path: '/orders/list', idempotent: true, body: {} }), expectHttpError((e) => assert.equal(e.kind, 'unavailable')));
    });

    it('4xx and 3xx replies go back to the venue client, JSON or not', async () => {
      const server = await http((req, res) => {
        if (req.url === '/waf') {
          res.writeHead(403, { 'Content-Type': 'text/html' });
          res.end('<html>blocked</html>');
        } else json(400, { code: 700002, msg: 'Signature for this request is not valid.' })(req, res);
      });
      const c = client(server.url);
      const bad = await c.request({ method: 'POST', path: '/send', body: {} });
      assert.equal(bad.status, 400);
      assert.deepEqual(bad.json, { code: 700002, msg: 'Signature for this request is not valid.' });
      const waf = await c.request({ method: 'GET', path: '/waf' });
      assert.equal(waf.status, 403);
      assert.equal(waf.bodyText, '<html>blocked</html>');
      assert.equal(waf.json, undefined);
      assert.equal(waf.headers['content-type'], 'text/html');
    });

    it('429 with Retry-After in seconds: rate-limit, and the bucket holds later requests back', async () => {
      const server = await http(json(429, { msg: 'slow down' }, { 'Retry-After': '7' }));
      const c = client(server.url, { maxQueueWaitMs: 1000, errorDetail: (res) => (res.json as { msg?: string }).msg });
      await assert.rejects(
        c.request({ method: 'POST', path: '/send', body: {} }),
        expectHttpError((e) => {
          assert.equal(e.kind, 'rate-limit');
          assert.equal(e.retryAfterMs, 7000);
          assert.equal(e.message, 'TestVenue rate limit: slow down');
        }),
      );
      // The penalty (7 s) is longer than the client will queue (1 s): the next call fails at once, unsent.
      await assert.rejects(
        c.request({ method: 'GET', path: '/orders' }),
        expectHttpError((e) => {
          assert.equal(e.kind, 'rate-limit');
          assert.equal(e.mayHaveLeft, false);
          assert.ok(e.retryAfterMs !== undefined && e.retryAfterMs > 1000 && e.retryAfterMs <= 7000, String(e.retryAfterMs));
        }),
      );
      assert.equal(server.received.length, 1);
    });

    it('429 with an HTTP-date Retry-After', async () => {
      const now = Date.UTC(2025, 0, 26, 12, 0, 0);
      const server = await http(json(429, {}, { 'Retry-After': new Date(now + 90_000).toUTCString() }));
      const c = client(server.url, { clock: frozenClock(now) });
      await assert.rejects(c.request({ method: 'GET', path: '/orders' }), expectHttpError((e) => {
        assert.equal(e.kind, 'rate-limit');
        assert.equal(e.retryAfterMs, 90_000);
      }));
    });

    it('an absurd Retry-After (11 days, in seconds or as a date) is capped', async () => {
      const now = Date.UTC(2025, 0, 26, 12, 0, 0);
      let value = String(11 * 24 * 3600);
      const server = await http(json(429, {}, { get 'Retry-After'() { return value; } }));
      const c = client(server.url, { clock: frozenClock(now) });
      await assert.rejects(c.request({ method: 'GET', path: '/a', endpoint: 'x' }), expectHttpError((e) => assert.equal(e.retryAfterMs, 5 * 60_000)));
      value = new Date(now + 11 * 24 * 3600_000).toUTCString();
      const capped = client(server.url, { clock: frozenClock(now), retryAfterCapMs: 30_000 });
      await assert.rejects(capped.request({ method: 'GET', path: '/a' }), expectHttpError((e) => assert.equal(e.retryAfterMs, 30_000)));
    });

    it('429 without Retry-After waits the default; 503 with Retry-After is a rate limit, without it a 5xx', async () => {
      let headers: Record<string, string> = {};
      let status = 429;
      const server = await http((req, res) => json(status, {}, headers)(req, res));
      const c = client(server.url, { defaultRetryAfterMs: 1500, endpointLimits: { a: { capacity: 5, refillPerSecond: 5 }, b: { capacity: 5, refillPerSecond: 5 }, c: { capacity: 5, refillPerSecond: 5 } } });
      await assert.rejects(c.request({ method: 'POST', path: '/a', endpoint: 'a', body: {} }), expectHttpError((e) => {
        assert.equal(e.kind, 'rate-limit');
        assert.equal(e.retryAfterMs, 1500);
      }));
      status = 503;
      headers = { 'Retry-After': '2' };
      await assert.rejects(c.request({ method: 'POST', path: '/b', endpoint: 'b', body: {} }), expectHttpError((e) => {
        assert.equal(e.kind, 'rate-limit');
        assert.equal(e.retryAfterMs, 2000);
      }));
      headers = {};
      await assert.rejects(c.request({ method: 'POST', path: '/c', endpoint: 'c', body: {} }), expectHttpError((e) => assert.equal(e.kind, 'unknown-outcome')));
    });

    it('a 429 penalises only the bucket of its endpoint', async () => {
      const server = await http((req, res) => (req.url === '/limited' ? json(429, {}, { 'Retry-After': '60' }) : json(200, { ok: true }))(req, res));
      const c = client(server.url, { maxQueueWaitMs: 1000, endpointLimits: { chat: { capacity: 5, refillPerSecond: 5 } } });
      await assert.rejects(c.request({ method: 'GET', path: '/limited', endpoint: 'chat' }), expectHttpError((e) => assert.equal(e.kind, 'rate-limit')));
      await assert.rejects(c.request({ method: 'GET', path: '/other', endpoint: 'chat' }), expectHttpError((e) => assert.equal(e.mayHaveLeft, false)));
      const res = await c.request({ method: 'GET', path: '/other' });
      assert.deepEqual(res.json, { ok: true });
      assert.deepEqual(server.received.map((r) => r.url), ['/limited', '/other']);
    });
  });

  describe('signing over the exact bytes', () => {
    function recordingSigner(seen: SignInput[]) {
      return (input: SignInput) => {
        seen.push(input);
        const digest = createHash('sha256').update(`${input.method}\n${input.path}\n${input.query}\n`).update(input.body).digest('hex');
        return { headers: { 'X-Test-Sign': digest, 'X-Test-Ts': String(input.timestamp) }, query: `${input.query}${input.query ? '&' : ''}signature=${digest}` };
      };
    }

    function digestOf(method: string, path: string, query: string, body: Buffer): string {
      return createHash('sha256').update(`${method}\n${path}\n${query}\n`).update(body).digest('hex');
    }

    it('JSON, string and Buffer bodies: the bytes signed are the bytes the server received', async () => {
      const server = await http(json(200, { ok: true }));
      const seen: SignInput[] = [];
      const c = client(`${server.url}/gw/`, { sign: recordingSigner(seen), clock: frozenClock(1_700_000_000_000) });
      const binary = Buffer.from([0, 1, 2, 0xfe, 0xff, 0x0d, 0x0a, 0x80]);
      await c.request({ method: 'POST', path: '/v5/send', body: { message: 'héllo "quoted"', n: 1.5 } });
      await c.request({ method: 'POST', path: '/v5/send', body: '{"raw":  "spacing kept"}', headers: { 'Content-Type': 'application/json' } });
      await c.request({ method: 'PUT', path: '/blob', body: binary });
      assert.equal(seen.length, 3);
      for (const [i, input] of seen.entries()) {
        const got = server.received[i]!;
        assert.ok(got.body.equals(input.body), `body ${i}`);
        assert.equal(input.path, i < 2 ? '/gw/v5/send' : '/gw/blob');
        assert.equal(input.timestamp, 1_700_000_000_000);
        assert.equal(got.headers['x-test-sign'], digestOf(input.method, input.path, input.query, got.body));
        assert.equal(got.url, `${input.path}?signature=${got.headers['x-test-sign']}`);
      }
      assert.equal(server.received[0]!.body.toString('utf8'), '{"message":"héllo \\"quoted\\"","n":1.5}');
      assert.equal(server.received[0]!.headers['content-type'], 'application/json');
      assert.equal(server.received[1]!.body.toString('utf8'), '{"raw":  "spacing kept"}');
      assert.ok(server.received[2]!.body.equals(binary));
      assert.equal(server.received[2]!.headers['content-type'], 'application/octet-stream');
    });

    it('the query string arrives exactly as signed, characters a URL parser would re-encode included', async () => {
      const server = await http(json(200, {}));
      const seen: SignInput[] = [];
      const c = client(server.url, { sign: recordingSigner(seen) });
      const query = "ids=a%2Cb&note=it's*(x)!&sym=%e2%82%ac";
      await c.request({ method: 'GET', path: '/api/v3/x', query });
      assert.equal(seen[0]!.query, query);
      assert.equal(server.received[0]!.url, `/api/v3/x?${query}&signature=${digestOf('GET', '/api/v3/x', query, Buffer.alloc(0))}`);
      // Params given as an object are encoded strictly (RFC 3986), in order.
      await c.request({ method: 'GET', path: '/api/v3/x', query: { b: "it's", a: 'x y', skip: undefined } });
      assert.equal(seen[1]!.query, 'b=it%27s&a=x%20y');
    });

    it('a request target that is not percent-encoded is refused before anything is sent', async () => {
      const server = await http(json(200, {}));
      const c = client(server.url);
      await assert.rejects(c.request({ method: 'GET', path: '/x', query: 'a=b c' }), expectHttpError((e) => {
        assert.equal(e.kind, 'rejected');
        assert.equal(e.mayHaveLeft, false);
      }));
      assert.equal(server.received.length, 0);
    });

    it('a multipart body is built once, signed as bytes, and parses as the form it was', async () => {
      const server = await http(json(200, { ok: true }));
      const seen: SignInput[] = [];
      const c = client(server.url, { sign: recordingSigner(seen) });
      const file = Buffer.alloc(70_000);
      for (let i = 0; i < file.length; i++) file[i] = (i * 31) & 0xff;
      await c.request({
        method: 'POST',
        path: '/v5/p2p/oss/upload_file',
        headers: { 'Content-Type': 'application/json' }, // must not win over the boundary
        body: new MultipartForm([
          { name: 'orderId', value: '1234' },
          { name: 'upload_file', filename: 'pay "slip".png', contentType: 'image/png', data: file },
        ]),
      });
      const got = server.received[0]!;
      assert.ok(got.body.equals(seen[0]!.body));
      const contentType = got.headers['content-type']!;
      assert.match(contentType, /^multipart\/form-data; boundary=/);
      const form = await new Response(new Uint8Array(got.body), { headers: { 'content-type': contentType } }).formData();
      assert.equal(form.get('orderId'), '1234');
      const uploaded = form.get('upload_file');
      assert.ok(uploaded instanceof Blob);
      assert.equal((uploaded as File).name, 'pay "slip".png'); // escaped on the wire, as browsers do
      assert.equal(uploaded.type, 'image/png');
      assert.ok(Buffer.from(await uploaded.arrayBuffer()).equals(file));
    });

    it('an unsigned request to an absolute URL (a pre-signed upload target) skips the signer', async () => {
      const target = await http((_req, res) => {
        res.writeHead(200);
        res.end();
      });
      const seen: SignInput[] = [];
      const c = client('http://127.0.0.1:1', { sign: recordingSigner(seen) });
      const res = await c.request({ method: 'PUT', path: `${target.url}/bucket/key.jpg?X-Amz-Signature=abc%2Fdef&e=1`, body: Buffer.from('jpeg'), signed: false, expectJson: false });
      assert.equal(res.status, 200);
      assert.equal(seen.length, 0);
      assert.equal(target.received[0]!.url, '/bucket/key.jpg?X-Amz-Signature=abc%2Fdef&e=1');
      assert.equal(target.received[0]!.body.toString(), 'jpeg');
    });
  });

  describe('uploads', () => {
    it('reports progress up to the total, once the body is written', async () => {
      const server = await http(json(200, { ok: true }));
      const c = client(server.url);
      const body = Buffer.alloc(300_000, 7);
      const calls: [number, number][] = [];
      await c.request({ method: 'POST', path: '/upload', body, onUploadProgress: (sent, total) => calls.push([sent, total]) });
      assert.ok(server.received[0]!.body.equals(body));
      assert.equal(server.received[0]!.headers['content-length'], String(body.length));
      assert.ok(calls.length >= 2, JSON.stringify(calls));
      assert.deepEqual(calls.at(-1), [body.length, body.length]);
      assert.equal(calls.filter(([sent]) => sent === body.length).length, 1);
      for (let i = 1; i < calls.length; i++) assert.ok(calls[i]![0] > calls[i - 1]![0], 'progress only moves forward');
      assert.ok(calls.every(([, total]) => total === body.length));
    });

    it('an upload cancelled mid-way fails as aborted', async () => {
      const server = await http(() => {});
      const c = client(server.url);
      const controller = new AbortController();
      const pending = c.request({ method: 'POST', path: '/upload', body: Buffer.alloc(200_000, 1), signal: controller.signal, onUploadProgress: () => {} });
      await until(() => server.received.length === 1, 5000, 'the upload to arrive');
      controller.abort();
      await assert.rejects(pending, expectHttpError((e) => assert.equal(e.aborted, true)));
    });
  });

  it('returns status, headers, text and JSON', async () => {
    const server = await http(json(201, { id: 'm1' }, { 'X-Request-Id': 'r-1' }));
    const c = client(server.url);
    const first = await c.request({ method: 'POST', path: '/messages/text', body: { text: 'a' } });
    const second = await c.request({ method: 'POST', path: '/messages/text', body: { text: 'b' } });
    assert.equal(first.status, 201);
    assert.equal(first.headers['x-request-id'], 'r-1');
    assert.equal(first.bodyText, '{"id":"m1"}');
    assert.deepEqual(second.json, { id: 'm1' });
    assert.equal(server.received.length, 2);
  });
});
