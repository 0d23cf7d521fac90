// Upgrade requests (SPDY, WebSocket) through the aggregator, as kube's UpgradeAwareHandler does: the
// request goes through the whole handler chain like any other (authentication, authorization), then
// the backend connection is upgraded and the two sockets are piped together. node:https hands an
// upgrade request to an 'upgrade' listener only, with the raw socket: `upgradeListener` runs the Koa
// app on it with a response bound to that socket, so a refusal (401, 403, 404, 503) is written as
// usual, and the proxy takes the socket over when it upgrades.
import https from 'node:https';
import { ServerResponse, type IncomingMessage, type RequestListener } from 'node:http';
import type { Duplex } from 'node:stream';
import type { BackendTransport } from './transport.js';

const UPGRADE = Symbol('kube-chain upgrade');

interface UpgradeState {
  socket: Duplex;
  head: Buffer;
  /** Set once the proxy owns the socket. */
  takenOver: boolean;
}

type UpgradeRequest = IncomingMessage & { [UPGRADE]?: UpgradeState };

export function upgradeStateOf(req: IncomingMessage): UpgradeState | undefined {
  return (req as UpgradeRequest)[UPGRADE];
}

/** The https server's 'upgrade' listener: the app answers on the raw socket; the socket closes after a plain answer. */
export function upgradeListener(app: RequestListener): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  return (req, socket, head) => {
    const state: UpgradeState = { socket, head, takenOver: false };
    (req as UpgradeRequest)[UPGRADE] = state;
    const res = new ServerResponse(req);
    res.assignSocket(socket as never);
    res.shouldKeepAlive = false;
    res.on('finish', () => {
      if (!state.takenOver) socket.end();
    });
    socket.on('error', () => socket.destroy());
    app(req, res);
  };
}

function rawResponse(statusLine: string, headers: IncomingMessage['rawHeaders']): string {
  const lines = [statusLine];
  for (let i = 0; i < headers.length; i += 2) lines.push(`${headers[i]}: ${headers[i + 1]}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/**
 * Proxies an upgrade request to host:port. Resolves when both sides are closed. A backend that
 * answers without upgrading has its answer passed through; one that cannot be reached is a 503.
 */
export function proxyUpgrade(req: IncomingMessage, res: ServerResponse, headers: Record<string, string | string[]>, host: string, port: number, transport: BackendTransport, onError: (err: Error) => void): Promise<void> {
  const state = upgradeStateOf(req)!;
  return new Promise((resolve) => {
    // The backend's TLS settings (CA, client certificate, server name), on a connection of its own.
    const outgoing = https.request({ ...transport.agent.options, host, port, method: req.method, path: req.url, headers, agent: false });
    outgoing.on('error', (err) => {
      onError(err);
      resolve();
    });
    outgoing.on('response', (answer) => {
      // Not upgraded: the backend's answer, as it is.
      res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
      answer.pipe(res);
      answer.on('end', () => resolve());
    });
    outgoing.on('upgrade', (answer, backendSocket, backendHead) => {
      state.takenOver = true;
      res.detachSocket(state.socket as never);
      const client = state.socket;
      client.write(rawResponse(`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}`, answer.rawHeaders));
      if (backendHead.length) client.write(backendHead);
      if (state.head.length) backendSocket.write(state.head);
      backendSocket.pipe(client).pipe(backendSocket);
      const done = () => {
        client.destroy();
        backendSocket.destroy();
        resolve();
      };
      client.once('close', done);
      backendSocket.once('close', done);
      client.on('error', done);
      backendSocket.on('error', done);
    });
    outgoing.end();
  });
}
