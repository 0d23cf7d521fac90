// The TLS connection to one APIService's backend (kube-aggregator's BuildTransportConfig): the proxy
// client certificate is presented; the backend's certificate is verified with the APIService's
// caBundle for the name "<service>.<namespace>.svc" (or not at all, with insecureSkipTLSVerify).
// One keep-alive agent per APIService spec, so a GET through the proxy reuses its connection.
import https from 'node:https';
import { checkServerIdentity, createSecureContext, type PeerCertificate } from 'node:tls';
import type { KeyPairPem } from '../../server/serving/certs.js';
import type { APIServiceSpec } from '../apiregistration/validation.js';

export interface BackendTransport {
  agent: https.Agent;
  /** The name the backend's certificate must carry. */
  serverName: string;
  insecure: boolean;
}

export function caBundlePem(caBundle: string | undefined): string | undefined {
  if (!caBundle) return undefined;
  return Buffer.from(caBundle, 'base64').toString('utf8');
}

export function buildTransport(spec: APIServiceSpec, client: KeyPairPem): BackendTransport {
  const service = spec.service!;
  const serverName = `${service.name}.${service.namespace}.svc`;
  const insecure = spec.insecureSkipTLSVerify === true;
  const agent = new https.Agent({
    keepAlive: true,
    // Small request/response exchanges: no Nagle delay on the backend connection.
    noDelay: true,
    maxSockets: 256,
    // One secure context for every connection, built once: the agent keys its connection pool on
    // the TLS options, and PEM strings there would be hashed on every request.
    // No caBundle: the system roots, as Go's TLS config without RootCAs.
    secureContext: createSecureContext({ cert: client.certPem, key: client.keyPem, ca: caBundlePem(spec.caBundle) }),
    rejectUnauthorized: !insecure,
    servername: serverName,
    // The backend is dialled at an address; its certificate must name the service.
    checkServerIdentity: (_host, cert) => (insecure ? undefined : tlsCheck(serverName, cert)),
  });
  return { agent, serverName, insecure };
}

function tlsCheck(serverName: string, cert: PeerCertificate): Error | undefined {
  return checkServerIdentity(serverName, cert);
}
