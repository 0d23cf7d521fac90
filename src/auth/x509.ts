// Client certificates (kube's x509 request authenticator with CommonNameUserConversion). The TLS
// server asked for a certificate and OpenSSL verified its chain against the client CA (for the
// client-auth purpose, as kube's DefaultVerifyOptions); here: no certificate is no opinion, a
// certificate that failed verification is an error (401), and a verified one is the user: name = the
// subject's CN (none: no opinion), groups = its O values, extra credential-id = X509SHA256=<hex>.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket, DetailedPeerCertificate } from 'node:tls';
import type { X509Certificate } from 'node:crypto';
import type { Authenticator, AuthenticationResult } from './authenticator.js';
import { CREDENTIAL_ID_KEY } from './user.js';
import { chainsTo } from './certificate-chain.js';

function values(field: string | string[] | undefined): string[] {
  if (field === undefined) return [];
  return Array.isArray(field) ? field : [field];
}

type Outcome = AuthenticationResult | null | Error;

/** Go's pkix.Name keeps the last CN of a subject and every O, in order. */
export function userFromCertificate(cert: Pick<DetailedPeerCertificate, 'subject' | 'raw'>): AuthenticationResult | null {
  const name = values(cert.subject?.CN).at(-1) ?? '';
  if (!name) return null;
  const fingerprint = createHash('sha256').update(cert.raw).digest('hex');
  return { user: { name, groups: values(cert.subject?.O), extra: { [CREDENTIAL_ID_KEY]: [`X509SHA256=${fingerprint}`] } } };
}

function serialDecimal(hex: string | undefined): string {
  try {
    return hex ? BigInt(`0x${hex}`).toString(10) : '';
  } catch {
    return hex ?? '';
  }
}

function authenticateSocket(socket: TLSSocket, clientCAs: X509Certificate[] | undefined): Outcome {
  const cert = socket.getPeerCertificate(clientCAs !== undefined) as DetailedPeerCertificate;
  if (!cert || Object.keys(cert).length === 0) return null;
  if (!socket.authorized) {
    const reason = socket.authorizationError instanceof Error ? socket.authorizationError.message : String(socket.authorizationError);
    return new Error(`verifying certificate SN=${serialDecimal(cert.serialNumber)} failed: ${reason}`);
  }
  // The TLS server also trusts the front proxy's CA: a certificate of that CA is no user here.
  if (clientCAs && !chainsTo(cert, clientCAs)) {
    return new Error(`verifying certificate SN=${serialDecimal(cert.serialNumber)} failed: x509: certificate signed by unknown authority`);
  }
  return userFromCertificate(cert);
}

function copy(result: AuthenticationResult): AuthenticationResult {
  const { user } = result;
  return { user: { ...user, groups: [...user.groups], extra: user.extra && Object.fromEntries(Object.entries(user.extra).map(([k, v]) => [k, [...v]])) } };
}

/** `clientCAs`: when the TLS server trusts more than the client CA, the CAs a user's certificate must chain to. */
export function x509Authenticator(clientCAs?: X509Certificate[]): Authenticator {
  // A connection's certificate never changes: decide once per connection, not per request
  // (getPeerCertificate builds a new object each call and was a tenth of a request's cost).
  const decided = new WeakMap<TLSSocket, Outcome>();
  return {
    authenticate(req: IncomingMessage) {
      const socket = req.socket as TLSSocket;
      if (typeof socket?.getPeerCertificate !== 'function') return null;
      let outcome = decided.get(socket);
      if (outcome === undefined) {
        outcome = authenticateSocket(socket, clientCAs);
        decided.set(socket, outcome);
      }
      if (outcome instanceof Error) throw outcome;
      return outcome && copy(outcome);
    },
  };
}
