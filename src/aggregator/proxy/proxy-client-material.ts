// What the aggregator needs to talk to extension API servers as kube-aggregator does: its proxy client
// certificate (--proxy-client-cert-file/--proxy-client-key-file) and the requestheader settings the
// extension servers verify it with. With no flags, a requestheader CA ("front-proxy-ca") and a
// client certificate CN=front-proxy-client are generated into the data directory once and reused.
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateCA, issueCert, type KeyPairPem } from '../../server/serving/certs.js';
import type { ServerOptions } from '../../server/options.js';

export const GENERATED_PROXY_CLIENT_NAME = 'front-proxy-client';

export interface RequestHeaderConfig {
  /** PEM of the CA that signs the proxy client certificate. */
  clientCAPem: string;
  allowedNames: string[];
  usernameHeaders: string[];
  groupHeaders: string[];
  extraHeadersPrefix: string[];
}

export interface ProxyClientMaterial {
  /** The client certificate and key presented to backends. */
  client: KeyPairPem;
  /** Absent when a proxy certificate is given without --requestheader-client-ca-file. */
  requestHeader?: RequestHeaderConfig;
}

async function readPair(certPath: string, keyPath: string): Promise<KeyPairPem | undefined> {
  try {
    await access(certPath);
    await access(keyPath);
  } catch {
    return undefined;
  }
  return { certPem: await readFile(certPath, 'utf8'), keyPem: await readFile(keyPath, 'utf8') };
}

async function writePair(dir: string, name: string, pair: KeyPairPem): Promise<void> {
  await writeFile(join(dir, `${name}.crt`), pair.certPem, { mode: 0o644 });
  await writeFile(join(dir, `${name}.key`), pair.keyPem, { mode: 0o600 });
}

function headerSettings(opts: ServerOptions, allowedNames: string[]): Omit<RequestHeaderConfig, 'clientCAPem'> {
  // kube-aggregator always sends X-Remote-User / X-Remote-Group / X-Remote-Extra-*; these are what
  // the generated setup (like kubeadm's) publishes when the flags say nothing.
  return {
    allowedNames: opts.requestheaderAllowedNames ?? allowedNames,
    usernameHeaders: opts.requestheaderUsernameHeaders ?? ['X-Remote-User'],
    groupHeaders: opts.requestheaderGroupHeaders ?? ['X-Remote-Group'],
    extraHeadersPrefix: opts.requestheaderExtraHeadersPrefix ?? ['X-Remote-Extra-'],
  };
}

export async function loadProxyClientMaterial(opts: ServerOptions): Promise<ProxyClientMaterial> {
  if (opts.proxyClientCertFile && opts.proxyClientKeyFile) {
    const client = { certPem: await readFile(opts.proxyClientCertFile, 'utf8'), keyPem: await readFile(opts.proxyClientKeyFile, 'utf8') };
    if (!opts.requestheaderClientCAFile) return { client };
    return { client, requestHeader: { clientCAPem: await readFile(opts.requestheaderClientCAFile, 'utf8'), ...headerSettings(opts, []) } };
  }
  const dir = opts.dataDir;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  let ca = await readPair(join(dir, 'front-proxy-ca.crt'), join(dir, 'front-proxy-ca.key'));
  if (!ca) {
    ca = await generateCA('front-proxy-ca');
    await writePair(dir, 'front-proxy-ca', ca);
  }
  let client = await readPair(join(dir, 'front-proxy-client.crt'), join(dir, 'front-proxy-client.key'));
  if (!client) {
    client = await issueCert(ca, { subject: { commonName: GENERATED_PROXY_CLIENT_NAME }, usage: 'client', validDays: 3650 });
    await writePair(dir, 'front-proxy-client', client);
  }
  return { client, requestHeader: { clientCAPem: ca.certPem, ...headerSettings(opts, [GENERATED_PROXY_CLIENT_NAME]) } };
}
