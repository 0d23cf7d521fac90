// Client certificates (kube's x509 request authenticator with CommonNameUserConversion): the TLS
// server verified the chain against the client CA; the user is the subject's CN, groups its O values.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket, PeerCertificate } from 'node:tls';
import type { Authenticator } from './authenticator.js';

function values(field: string | string[] | undefined): string[] {
  if (field === undefined) return [];
  return Array.isArray(field) ? field : [field];
}

export function x509Authenticator(): Authenticator {
  return {
    authenticate(req: IncomingMessage) {
      const socket = req.socket as TLSSocket;
      if (typeof socket.getPeerCertificate !== 'function') return null;
      const cert: PeerCertificate = socket.getPeerCertificate();
      if (!cert || Object.keys(cert).length === 0) return null;
      if (!socket.authorized) {
        throw new Error(`verifying certificate SN=${cert.serialNumber}, issuer="${cert.issuer?.CN ?? ''}" failed: ${String(socket.authorizationError)}`);
      }
      const name = values(cert.subject?.CN)[0] ?? '';
      if (!name) throw new Error('common name of client certificate is empty');
      return { user: { name, groups: values(cert.subject?.O) } };
    },
  };
}
