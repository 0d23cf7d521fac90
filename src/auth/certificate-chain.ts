// Whether a TLS peer's certificate chains to one of a set of CAs. The TLS server trusts the client
// CA and the requestheader CA together (as kube's does); each authenticator then asks whether the
// certificate was issued under its own CA, as kube's x509 verifiers verify against their own roots.
import { X509Certificate } from 'node:crypto';
import type { DetailedPeerCertificate } from 'node:tls';

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

export function parseCertificates(pem: string): X509Certificate[] {
  return [...pem.matchAll(PEM_CERT)].map(([block]) => new X509Certificate(block));
}

function issuedBy(cert: X509Certificate, ca: X509Certificate): boolean {
  if (cert.fingerprint256 === ca.fingerprint256) return true;
  try {
    return cert.checkIssued(ca) && cert.verify(ca.publicKey);
  } catch {
    return false;
  }
}

/** The chain the peer presented (leaf first), as far as node could build it. */
function chainOf(peer: DetailedPeerCertificate): X509Certificate[] {
  const chain: X509Certificate[] = [];
  const seen = new Set<string>();
  for (let cert: DetailedPeerCertificate | undefined = peer; cert?.raw && !seen.has(cert.fingerprint256); cert = cert.issuerCertificate) {
    seen.add(cert.fingerprint256);
    try {
      chain.push(new X509Certificate(cert.raw));
    } catch {
      break; // what cannot be parsed verifies nothing
    }
  }
  return chain;
}

/** Whether some certificate of the peer's chain is one of the CAs or was signed by one. */
export function chainsTo(peer: DetailedPeerCertificate, cas: X509Certificate[]): boolean {
  return chainOf(peer).some((cert) => cas.some((ca) => issuedBy(cert, ca)));
}
