// Plain WebSocket transport on the `ws` library: text and binary messages, ping frames,
// subprotocols and handshake headers (Mixin's Blaze needs `Mixin-Blaze-1` and a Bearer header).
import WebSocket from 'ws';
import { errorMessage, type Transport, type TransportLink } from './transport';

/** Bytes of an upgrade refusal's body kept for the verdict (enough for an error JSON). */
const MAX_REFUSAL_BODY = 2048;

export const wsTransport: Transport = {
  connect(target, handlers, options): TransportLink {
    // Throws synchronously on a URL `ws` refuses (bad syntax, unsupported scheme).
    const socket = new WebSocket(target.url, target.protocols ? [...target.protocols] : undefined, {
      headers: target.headers ? { ...target.headers } : undefined,
      handshakeTimeout: options.handshakeTimeoutMs,
      perMessageDeflate: false,
    });
    let closed = false;
    const close = (code: number, reason: string) => {
      if (closed) return;
      closed = true;
      socket.removeAllListeners();
      // Keep an error listener so a late error on a dead socket cannot crash the host.
      socket.on('error', () => {});
      handlers.close(code, reason);
    };

    socket.on('unexpected-response', (req, res) => {
      const status = res.statusCode ?? 0;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (body.length < MAX_REFUSAL_BODY) body += chunk;
      });
      const refuse = () => {
        handlers.upgradeRejected(status, body.slice(0, MAX_REFUSAL_BODY));
        req.destroy();
        close(1006, `upgrade refused (HTTP ${status})`);
      };
      res.on('end', refuse);
      res.on('error', refuse);
    });
    socket.on('open', () => handlers.open());
    socket.on('message', (data, isBinary) => {
      const bytes = toBuffer(data);
      handlers.frame(isBinary ? { kind: 'binary', data: bytes } : { kind: 'text', text: bytes.toString('utf8') });
    });
    socket.on('pong', () => handlers.alive());
    // `ws` answers server pings by itself; a ping is still proof the link is alive.
    socket.on('ping', () => handlers.alive());
    socket.on('error', (err) => handlers.error(err));
    socket.on('close', (code, reason) => close(code, reason.toString('utf8')));

    return {
      get isOpen() {
        return socket.readyState === WebSocket.OPEN;
      },
      send(frame) {
        if (socket.readyState !== WebSocket.OPEN) throw new Error('the socket is not open');
        socket.send(frame);
      },
      ping() {
        socket.ping();
      },
      terminate() {
        try {
          socket.terminate();
        } catch (err) {
          // terminate() on a socket that never got going can throw; the link is gone either way.
          handlers.error(new Error(errorMessage(err)));
          close(1006, 'terminated');
        }
      },
    };
  },
};

function toBuffer(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

