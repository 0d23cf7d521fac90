// Client certificates (kube's x509 request authenticator with CommonNameUserConversion): the TLS
// server verified the chain against the client CA; the user is the subject's CN, groups its O values.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket, PeerCertificate } from 'node:tls';
import type { Authenticator, AuthenticationResult } from './authenticator.js';

function values(field: string | string[] | undefined): string[] {
  if (field === undefined) return [];
  return Array.isArray(field) ? field : [field];
}

type Outcome = AuthenticationResult | null | Error;

function authenticateSocket(socket: TLSSocket): Outcome {
  const cert: PeerCertificate = socket.getPeerCertificate();
  if (!cert || Object.keys(cert).length === 0) return null;
  if (!socket.authorized) {
    return new Error(`verifying certificate SN=${cert.serialNumber}, issuer="${cert.issuer?.CN ?? ''}" failed: ${String(socket.authorizationError)}`);
  }
  const name = values(cert.subject?.CN)[0] ?? '';
  if (!name) return new Error('common name of client certificate is empty');
  return { user: { name, groups: values(cert.subject?.O) } };
}

export function x509Authenticator(): Authenticator {
  // A connection's certificate never changes: decide once per connection, not per request
  // (getPeerCertificate builds a new object each call and was a tenth of a request's cost).
  const decided = new WeakMap<TLSSocket, Outcome>();
  return {
    authenticate(req: IncomingMessage) {
      const socket = req.socket as TLSSocket;
      if (typeof socket.getPeerCertificate !== 'function') return null;
      let outcome = decided.get(socket);
      if (outcome === undefined) {
        outcome = authenticateSocket(socket);
        decided.set(socket, outcome);
      }
      if (outcome instanceof Error) throw outcome;
      return outcome && { user: { ...outcome.user, groups: [...outcome.user.groups] } };
    },
  };
}
