// Plain WebSocket transport on the `ws` library: text and binary messages, ping frames,
// subprotocols and handshake headers (Mixin's Blaze needs `Mixin-Blaze-1` and a Bearer header).
import WebSocket from 'ws';
import { DEFAULT_MAX_FRAME_BYTES, FrameTooLargeError, errorMessage, type Transport, type TransportLink } from './transport';

/** Bytes of an upgrade refusal's body kept for the verdict (enough for an error JSON). */
const MAX_REFUSAL_BODY = 2048;

export const wsTransport: Transport = {
  connect(target, handlers, options): TransportLink {
    const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    // Throws synchronously on a URL `ws` refuses (bad syntax, unsupported scheme).
    const socket = new WebSocket(target.url, target.protocols ? [...target.protocols] : undefined, {
      headers: target.headers ? { ...target.headers } : undefined,
      handshakeTimeout: options.handshakeTimeoutMs,
      perMessageDeflate: false,
      // `ws` refuses a bigger frame while reading its header, before buffering it, and closes with 1009.
      maxPayload: maxFrameBytes,
    });
    let closed = false;
    let tooLarge = false;
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
    socket.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        tooLarge = true;
        handlers.error(new FrameTooLargeError(maxFrameBytes));
      } else {
        handlers.error(err);
      }
    });
    // After a refused frame the peer's close code (if any) says nothing: the reason is ours.
    socket.on('close', (code, reason) => (tooLarge ? close(1009, 'frame too large') : close(code, reason.toString('utf8'))));

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

