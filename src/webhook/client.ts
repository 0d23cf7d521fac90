// Calls a webhook as kube-apiserver's webhook client does: JSON POST over HTTPS to a URL or a
// Service, the server verified against the caBundle (or the system roots), bounded by a timeout.
// Errors read as Go's http client prints them, since kube puts them in client-visible messages.
import https from 'node:https';
import { isIP } from 'node:net';
import { parseCABundle } from '../registry/validation/webhook-client-config.js';
import type { ServiceResolver } from './service-resolver.js';

export interface WebhookClientConfig {
  url?: string;
  service?: { namespace: string; name: string; path?: string; port?: number };
  /** base64 PEM, as in the API objects. */
  caBundle?: string;
}

export interface WebhookCall {
  timeoutMs: number;
  resolver?: ServiceResolver;
  userAgent?: string;
}

export class WebhookCallError extends Error {}

interface Target {
  url: URL;
  /** host[:port] as Go keeps it (the URL class drops :443; kube's Service URLs keep it). */
  host: string;
  /** The address actually dialled (a Service's endpoint) when it differs from the URL's host. */
  connectHost?: string;
  connectPort?: number;
}

async function targetFor(config: WebhookClientConfig, call: WebhookCall): Promise<Target> {
  if (config.url) {
    const url = new URL(config.url);
    return { url, host: url.host };
  }
  const svc = config.service;
  if (!svc) throw new WebhookCallError('neither url nor service is set');
  const port = svc.port ?? 443;
  // kube's TLS server name for a Service is <name>.<namespace>.svc.
  const host = `${svc.name}.${svc.namespace}.svc:${port}`;
  const url = new URL(`https://${host}${svc.path ?? ''}`);
  if (!call.resolver) throw new WebhookCallError(`service "${svc.name}" not found`);
  const endpoint = await call.resolver.resolve(svc.namespace, svc.name, port);
  return { url, host, connectHost: endpoint.host, connectPort: endpoint.port };
}

/** Go's net/http error text for what went wrong, from Node's error. */
function goErrorText(err: NodeJS.ErrnoException, target: Target, timedOut: boolean): string {
  const where = `Post ${JSON.stringify(`${target.url.protocol}//${target.host}${target.url.pathname}${target.url.search}`)}`;
  const dial = `${target.connectHost ?? target.url.hostname}:${target.connectPort ?? (target.url.port || 443)}`;
  if (timedOut) return `${where}: context deadline exceeded`;
  switch (err.code) {
    case 'ECONNREFUSED':
      return `${where}: dial tcp ${dial}: connect: connection refused`;
    case 'ECONNRESET':
      return `${where}: EOF`;
    case 'ENOTFOUND':
      return `${where}: dial tcp: lookup ${target.url.hostname}: no such host`;
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return `${where}: tls: failed to verify certificate: x509: certificate signed by unknown authority`;
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `${where}: tls: failed to verify certificate: x509: certificate is not valid for ${target.url.hostname}`;
    case 'CERT_HAS_EXPIRED':
      return `${where}: tls: failed to verify certificate: x509: certificate has expired or is not yet valid`;
    default:
      return `${where}: ${err.message}`;
  }
}

/** POSTs `body` and returns the parsed JSON answer; any failure is a WebhookCallError with Go's wording. */
export async function postToWebhook(config: WebhookClientConfig, query: Record<string, string>, body: unknown, call: WebhookCall): Promise<unknown> {
  const target = await targetFor(config, call);
  for (const [k, v] of Object.entries(query)) target.url.searchParams.set(k, v);
  const ca = config.caBundle ? parseCABundle(Buffer.from(config.caBundle, 'base64').toString('utf8')) : undefined;
  if (ca?.error) throw new WebhookCallError(ca.error);
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const req = https.request(
      {
        method: 'POST',
        host: target.connectHost ?? target.url.hostname.replace(/^\[|\]$/g, ''),
        port: target.connectPort ?? (target.url.port || 443),
        path: `${target.url.pathname}${target.url.search}`,
        // SNI carries host names only; an IP is still checked against the certificate's IP SANs.
        servername: isIP(target.url.hostname.replace(/^\[|\]$/g, '')) ? '' : target.url.hostname,
        ca: ca?.certs,
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json, */*',
          'Content-Length': payload.length,
          'User-Agent': call.userAgent ?? 'kube-apiserver-admission',
          Host: target.host,
        },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => reject(new WebhookCallError(goErrorText(err, target, timedOut))));
        res.on('end', () => {
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) {
            reject(new WebhookCallError(`the server responded with the status code ${status} but did not return more information`));
            return;
          }
          if (text.length === 0) {
            reject(new WebhookCallError(`0-length response with status code: ${status} and content type: ${res.headers['content-type'] ?? ''}`));
            return;
          }
          try {
            resolve(JSON.parse(text));
          } catch (err) {
            reject(new WebhookCallError((err as Error).message));
          }
        });
      },
    );
    const timer = setTimeout(() => {
      timedOut = true;
      req.destroy(new Error('timeout'));
    }, call.timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new WebhookCallError(goErrorText(err, target, timedOut)));
    });
    req.end(payload);
  });
}
