// The TLS material a server needs: its serving certificate, the client CA, and an admin client
// certificate for the generated kubeconfig. What the flags do not give is generated into the data
// directory once and reused on later starts.
import { mkdir, readFile, writeFile, access } from 'node:fs/promises';
import { join } from 'node:path';
import { isIP } from 'node:net';
import { certificateNames, generateCA, issueCert, normalizeIp, type KeyPairPem } from './certs.js';
import type { ServerOptions } from '../options.js';

export const ADMIN_USER = 'kube-chain-admin';

export interface ServingMaterial {
  serving: KeyPairPem;
  /** PEM of the CA(s) that client certificates are verified against. */
  clientCAPem: string;
  /** PEM a client should trust to verify the serving certificate. */
  servingCAPem: string;
  /** The admin client credentials, when kube-chain holds the client CA's key. */
  admin?: KeyPairPem;
  /** The CA that signs generated certificates (also the client CA), when generated here. */
  ca?: KeyPairPem;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

async function readPair(dir: string, name: string): Promise<KeyPairPem | undefined> {
  const certPath = join(dir, `${name}.crt`);
  const keyPath = join(dir, `${name}.key`);
  if (!(await exists(certPath)) || !(await exists(keyPath))) return undefined;
  return { certPem: await readFile(certPath, 'utf8'), keyPem: await readFile(keyPath, 'utf8') };
}

async function writePair(dir: string, name: string, pair: KeyPairPem): Promise<void> {
  await writeFile(join(dir, `${name}.crt`), pair.certPem, { mode: 0o644 });
  await writeFile(join(dir, `${name}.key`), pair.keyPem, { mode: 0o600 });
}

/** The names a generated serving certificate must cover. */
export function servingNames(bindAddress: string): { dnsNames: string[]; ipAddresses: string[] } {
  const dnsNames = ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc'];
  const ipAddresses = ['127.0.0.1', '::1'];
  const unspecified = bindAddress === '0.0.0.0' || bindAddress === '::';
  if (isIP(bindAddress) && !unspecified && !ipAddresses.includes(normalizeIp(bindAddress))) ipAddresses.push(normalizeIp(bindAddress));
  else if (!isIP(bindAddress) && !dnsNames.includes(bindAddress)) dnsNames.push(bindAddress);
  return { dnsNames, ipAddresses };
}

function coversNames(certPem: string, wanted: { dnsNames: string[]; ipAddresses: string[] }): boolean {
  const have = certificateNames(certPem);
  const fresh = have.validTo.getTime() > Date.now() + 24 * 60 * 60 * 1000;
  return fresh && wanted.dnsNames.every((n) => have.dnsNames.includes(n)) && wanted.ipAddresses.every((ip) => have.ipAddresses.includes(ip));
}

async function loadOrCreateCA(dir: string): Promise<KeyPairPem> {
  const existing = await readPair(dir, 'ca');
  if (existing) return existing;
  const ca = await generateCA('kube-chain-ca');
  await writePair(dir, 'ca', ca);
  return ca;
}

export async function loadServingMaterial(opts: ServerOptions): Promise<ServingMaterial> {
  const dir = opts.dataDir;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const needsCA = !(opts.tlsCertFile && opts.tlsPrivateKeyFile) || !opts.clientCAFile;
  const ca = needsCA ? await loadOrCreateCA(dir) : undefined;

  let serving: KeyPairPem;
  let servingCAPem: string;
  if (opts.tlsCertFile && opts.tlsPrivateKeyFile) {
    serving = { certPem: await readFile(opts.tlsCertFile, 'utf8'), keyPem: await readFile(opts.tlsPrivateKeyFile, 'utf8') };
    servingCAPem = serving.certPem;
  } else {
    const wanted = servingNames(opts.bindAddress);
    const existing = await readPair(dir, 'apiserver');
    if (existing && coversNames(existing.certPem, wanted)) serving = existing;
    else {
      serving = await issueCert(ca!, { subject: { commonName: 'kube-apiserver' }, usage: 'server', ...wanted });
      await writePair(dir, 'apiserver', serving);
    }
    servingCAPem = ca!.certPem;
  }

  if (opts.clientCAFile) {
    return { serving, servingCAPem, clientCAPem: await readFile(opts.clientCAFile, 'utf8'), ca };
  }
  let admin = await readPair(dir, 'admin');
  if (!admin) {
    admin = await issueCert(ca!, { subject: { commonName: ADMIN_USER, organizations: ['system:masters'] }, usage: 'client', validDays: 3650 });
    await writePair(dir, 'admin', admin);
  }
  return { serving, servingCAPem, clientCAPem: ca!.certPem, admin, ca };
}
