// Certificate generation with @peculiar/x509 (a maintained X.509 library on WebCrypto): ECDSA P-256
// keys are made in about a millisecond, which keeps a first start fast. The library is loaded lazily,
// only when something has to be generated.
import { webcrypto } from 'node:crypto';
import { X509Certificate as NodeX509 } from 'node:crypto';

export interface KeyPairPem {
  certPem: string;
  keyPem: string;
}

export interface CertSubject {
  commonName: string;
  organizations?: string[];
}

export interface LeafCertRequest {
  subject: CertSubject;
  usage: 'server' | 'client' | 'both';
  dnsNames?: string[];
  ipAddresses?: string[];
  validDays?: number;
}

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;

type X509Module = typeof import('@peculiar/x509');
let x509Module: Promise<X509Module> | undefined;

function loadX509(): Promise<X509Module> {
  // @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata polyfill.
  x509Module ??= import('reflect-metadata').then(() => import('@peculiar/x509')).then((m) => {
    m.cryptoProvider.set(webcrypto as never);
    return m;
  });
  return x509Module;
}

function distinguishedName(subject: CertSubject): string {
  const escape = (v: string) => v.replace(/([,+"\\<>;=])/g, '\\$1');
  const parts = [`CN=${escape(subject.commonName)}`];
  for (const org of subject.organizations ?? []) parts.push(`O=${escape(org)}`);
  return parts.join(', ');
}

async function exportKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  const body = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`;
}

async function importKeyPem(pem: string): Promise<webcrypto.CryptoKey> {
  const body = pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, '').replace(/\s+/g, '');
  return webcrypto.subtle.importKey('pkcs8', Buffer.from(body, 'base64'), ALGORITHM, true, ['sign']);
}

function validity(days: number): { notBefore: Date; notAfter: Date } {
  // Back-date by an hour so that a client with a slightly slow clock accepts the certificate.
  const notBefore = new Date(Date.now() - 60 * 60 * 1000);
  return { notBefore, notAfter: new Date(notBefore.getTime() + days * 24 * 60 * 60 * 1000) };
}

function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] &= 0x7f; // positive
  return Buffer.from(bytes).toString('hex');
}

export async function generateCA(commonName: string, validDays = 3650): Promise<KeyPairPem> {
  const x509 = await loadX509();
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: distinguishedName({ commonName }),
    ...validity(validDays),
    signingAlgorithm: SIGNING,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem') + '\n', keyPem: await exportKeyPem(keys.privateKey) };
}

/** Issues a certificate signed by the CA. */
export async function issueCert(ca: KeyPairPem, request: LeafCertRequest): Promise<KeyPairPem> {
  const x509 = await loadX509();
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKey = await importKeyPem(ca.keyPem);
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const usages: string[] = [];
  if (request.usage !== 'client') usages.push(x509.ExtendedKeyUsage.serverAuth);
  if (request.usage !== 'server') usages.push(x509.ExtendedKeyUsage.clientAuth);
  const extensions: InstanceType<X509Module['Extension']>[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension(usages, false),
    await x509.AuthorityKeyIdentifierExtension.create(caCert, false),
  ];
  const names = [
    ...(request.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(request.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names, false));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: distinguishedName(request.subject),
    issuer: caCert.subject,
    ...validity(request.validDays ?? 365),
    signingAlgorithm: SIGNING,
    publicKey: keys.publicKey,
    signingKey: caKey,
    extensions,
  });
  return { certPem: cert.toString('pem') + '\n', keyPem: await exportKeyPem(keys.privateKey) };
}

/** The DNS names and IP addresses a PEM certificate is valid for (node:crypto parses; no library load). */
export function certificateNames(certPem: string): { dnsNames: string[]; ipAddresses: string[]; validTo: Date } {
  const cert = new NodeX509(certPem);
  const dnsNames: string[] = [];
  const ipAddresses: string[] = [];
  for (const entry of (cert.subjectAltName ?? '').split(', ')) {
    if (entry.startsWith('DNS:')) dnsNames.push(entry.slice(4));
    else if (entry.startsWith('IP Address:')) ipAddresses.push(normalizeIp(entry.slice(11)));
  }
  return { dnsNames, ipAddresses, validTo: new Date(cert.validTo) };
}

/** node prints IPv6 SANs in full form (0:0:0:0:0:0:0:1); compare in one canonical form. */
export function normalizeIp(ip: string): string {
  if (!ip.includes(':')) return ip;
  try {
    return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  } catch {
    return ip;
  }
}
