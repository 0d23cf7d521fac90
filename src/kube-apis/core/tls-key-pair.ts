// kube's secret strategy warns (never refuses) when a kubernetes.io/tls Secret's tls.crt and tls.key
// do not load as a pair with Go's tls.X509KeyPair; the warning is that function's error text.
// PEM framing and key matching follow Go's checks; certificate parsing is node's (Go's x509 parser
// has many more specific messages: those are reported as "x509: malformed certificate").
import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { KubeObject } from '../../registry/resource.js';

interface PemBlock {
  type: string;
  der: Buffer;
}

const PEM_BLOCK = /-----BEGIN ([^\r\n-]*)-----\r?\n([\s\S]*?)-----END \1-----/g;

/** The PEM blocks of an input in order (pem.Decode in a loop); blocks Go would not frame are skipped. */
function pemBlocks(input: Buffer): PemBlock[] {
  const text = input.toString('latin1');
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(PEM_BLOCK)) {
    // Headers ("Key: value" lines) end with a blank line before the base64 body.
    const body = match[2].includes(':') ? match[2].slice(match[2].search(/\r?\n\r?\n/) + 1) : match[2];
    if (!/^[A-Za-z0-9+/=\s]*$/.test(body)) continue;
    blocks.push({ type: match[1], der: Buffer.from(body.replace(/\s+/g, ''), 'base64') });
  }
  return blocks;
}

/** fmt's %v of a []string. */
const goList = (items: string[]) => `[${items.join(' ')}]`;

function parsePrivateKey(der: Buffer): KeyObject | undefined {
  for (const type of ['pkcs1', 'pkcs8', 'sec1'] as const) {
    try {
      return createPrivateKey({ key: der, format: 'der', type });
    } catch {
      // Go tries PKCS#1, then PKCS#8, then SEC 1, and fails only when none parses.
    }
  }
  return undefined;
}

const SUPPORTED_KEY_TYPES = new Set(['rsa', 'ec', 'ed25519']);

/** The error tls.X509KeyPair gives for this certificate and key, or undefined when they load. */
export function x509KeyPairError(certPEM: Buffer, keyPEM: Buffer): string | undefined {
  const certBlocks = pemBlocks(certPEM);
  const certs = certBlocks.filter((b) => b.type === 'CERTIFICATE');
  if (certs.length === 0) {
    const skipped = certBlocks.map((b) => b.type);
    if (skipped.length === 0) return 'tls: failed to find any PEM data in certificate input';
    if (skipped.length === 1 && skipped[0].endsWith('PRIVATE KEY')) {
      return 'tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched';
    }
    return `tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: ${goList(skipped)}`;
  }
  const keyBlocks = pemBlocks(keyPEM);
  const keyIndex = keyBlocks.findIndex((b) => b.type === 'PRIVATE KEY' || b.type.endsWith(' PRIVATE KEY'));
  if (keyIndex < 0) {
    const skipped = keyBlocks.map((b) => b.type);
    if (skipped.length === 0) return 'tls: failed to find any PEM data in key input';
    if (skipped.length === 1 && skipped[0] === 'CERTIFICATE') return 'tls: found a certificate rather than a key in the PEM for the private key';
    return `tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: ${goList(skipped)}`;
  }
  let publicKey: KeyObject;
  try {
    publicKey = new X509Certificate(certs[0].der).publicKey;
  } catch {
    return 'x509: malformed certificate';
  }
  const privateKey = parsePrivateKey(keyBlocks[keyIndex].der);
  if (!privateKey) return 'tls: failed to parse private key';
  if (!SUPPORTED_KEY_TYPES.has(publicKey.asymmetricKeyType ?? '')) return 'tls: unknown public key algorithm';
  if (publicKey.asymmetricKeyType !== privateKey.asymmetricKeyType) return 'tls: private key type does not match public key type';
  const spki = (key: KeyObject) => key.export({ type: 'spki', format: 'der' });
  if (!spki(publicKey).equals(spki(createPublicKey(privateKey)))) return 'tls: private key does not match public key';
  return undefined;
}

/** The secret strategy's warnings: a TLS Secret whose pair does not load. */
export function tlsKeyPairWarnings(secret: KubeObject): string[] {
  if (secret.type !== 'kubernetes.io/tls') return [];
  const data = (secret.data ?? {}) as Record<string, string | null>;
  const bytes = (key: string) => Buffer.from(data[key] ?? '', 'base64');
  const error = x509KeyPairError(bytes('tls.crt'), bytes('tls.key'));
  return error ? [error] : [];
}
