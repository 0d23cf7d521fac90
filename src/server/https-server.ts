// The node:https server under the Koa app: client certificates are requested (never required) and
// verified against the client CA; timeouts guard against slow or silent clients.
import { createServer, type Server } from 'node:https';
import type { RequestListener } from 'node:http';
import type { ServingMaterial } from './serving/serving-material.js';

export interface ConnectionTimeouts {
  /** Time to complete the TLS handshake (kube: 10 s). */
  handshakeMs: number;
  /** Time for a client to send the request headers (kube's ReadHeaderTimeout: 32 s). */
  headersMs: number;
  /** Time to receive a whole request, headers and body. */
  requestMs: number;
  /** How long a keep-alive connection may sit idle (kube's IdleTimeout: 90 s). */
  idleMs: number;
}

export const DEFAULT_TIMEOUTS: ConnectionTimeouts = { handshakeMs: 10_000, headersMs: 32_000, requestMs: 120_000, idleMs: 90_000 };

export function createHttpsServer(material: ServingMaterial, listener: RequestListener, timeouts: ConnectionTimeouts): Server {
  const server = createServer(
    {
      key: material.serving.keyPem,
      cert: material.serving.certPem,
      ca: material.clientCAPem,
      requestCert: true,
      rejectUnauthorized: false,
      handshakeTimeout: timeouts.handshakeMs,
      // kube's MaxHeaderBytes is 1 MiB; node's default (16 KiB) would refuse large bearer tokens.
      maxHeaderSize: 1 << 20,
      ALPNProtocols: ['http/1.1'],
      // node checks the header and request timeouts on this interval; keep it well below them.
      connectionsCheckingInterval: Math.min(30_000, Math.max(100, timeouts.headersMs / 4)),
    },
    listener,
  );
  server.headersTimeout = timeouts.headersMs;
  server.requestTimeout = timeouts.requestMs;
  server.keepAliveTimeout = timeouts.idleMs;
  return server;
}
