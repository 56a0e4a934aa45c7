// Did any byte of a request leave this machine? Until the connection is up (TCP connected, and for
// https the TLS handshake done) Node has written nothing the server could act on, so a failure
// then (refused, DNS, certificate, a timeout while connecting) means "definitely not sent". Once
// the connection is up, Node writes the request at once, so any later failure may come after the
// server read it. A reused keep-alive socket is up from the start.
import type { ClientRequest } from 'node:http';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';

export class SendTracker {
  private left = false;

  /** True once the request may have reached the server. */
  get mayHaveLeft(): boolean {
    return this.left;
  }

  watch(req: ClientRequest): void {
    req.once('socket', (socket: Socket) => {
      if (req.reusedSocket) {
        this.left = true;
        return;
      }
      // Failed before the request got it (a DNS error lands here): nothing was written.
      if (socket.destroyed) return;
      const event = socket instanceof TLSSocket ? 'secureConnect' : 'connect';
      if (event === 'connect' && !socket.connecting) {
        this.left = true;
        return;
      }
      const onUp = () => {
        this.left = true;
      };
      socket.once(event, onUp);
      // The socket may outlive this request in the keep-alive pool.
      req.once('close', () => socket.removeListener(event, onUp));
    });
  }
}
