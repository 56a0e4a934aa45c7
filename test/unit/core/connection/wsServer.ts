// A loopback WebSocket server for the socket tests: records upgrades, requests and connections.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface LoopbackWsServer {
  readonly url: string;
  readonly sockets: WebSocket[];
  readonly requests: IncomingMessage[];
  /** Connections the server saw closed. */
  closed: number;
  upgrades: number;
  /** Answer upgrades with this HTTP status instead of switching protocols. */
  rejectWith?: number;
  /** Called for every accepted connection. */
  onConnection: (ws: WebSocket, req: IncomingMessage) => void;
  /** Picks the subprotocol to accept, like a server that requires one. */
  handleProtocols?: (protocols: Set<string>) => string | false;
  close(): Promise<void>;
}

export async function startWsServer(): Promise<LoopbackWsServer> {
  const http: Server = createServer();
  const server: LoopbackWsServer = {
    url: '',
    sockets: [],
    requests: [],
    closed: 0,
    upgrades: 0,
    onConnection: () => {},
    close: async () => {
      for (const s of server.sockets) s.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (server.handleProtocols ? server.handleProtocols(protocols) : false),
  });
  http.on('upgrade', (req, socket, head) => {
    server.upgrades++;
    server.requests.push(req);
    if (server.rejectWith) {
      socket.end(`HTTP/1.1 ${server.rejectWith} Rejected\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      server.sockets.push(ws);
      ws.on('close', () => server.closed++);
      server.onConnection(ws, req);
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  return Object.assign(server, { url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/` });
}
