// Calls a webhook as kube's rest client does: POST of JSON over HTTPS, the server certificate verified
// against the webhook's caBundle (the system roots when it has none), `?timeout=<n>s` on the URL, and
// the whole call bounded by the webhook's timeout through an AbortController, so a webhook that hangs
// costs at most its timeout. Errors read as Go's client errors (`Post "<url>": ...`).
import https from 'node:https';
import { isIP } from 'node:net';
import type { ServiceResolver } from '../../webhook/service-resolver.js';
import type { WebhookClientConfig } from '../../kube-apis/admissionregistration/types.js';

/** A webhook call that did not produce a response body we can use. */
export class WebhookCallError extends Error {}

const MAX_RESPONSE_BYTES = 3 * 1024 * 1024;

/** The URL a webhook is called at: its url, or the service's DNS name (kube's default service resolver). */
export function webhookURL(config: WebhookClientConfig): URL {
  if (config.url) return new URL(config.url);
  const svc = config.service ?? {};
  const path = svc.path ?? '';
  return new URL(`https://${svc.name}.${svc.namespace}.svc:${svc.port ?? 443}${path.startsWith('/') || path === '' ? path : `/${path}`}`);
}

function caBundle(config: WebhookClientConfig): string | undefined {
  if (!config.caBundle) return undefined;
  return Buffer.from(config.caBundle, 'base64').toString('utf8');
}

// Connections are kept alive and reused per trust bundle, as kube's webhook clients are cached: a
// TLS handshake per admission request would cost more than most webhooks do.
const agents = new Map<string, https.Agent>();
const MAX_AGENTS = 256;

function agentFor(config: WebhookClientConfig): https.Agent {
  const key = config.caBundle ?? '';
  let agent = agents.get(key);
  if (!agent) {
    if (agents.size >= MAX_AGENTS) {
      for (const old of agents.values()) old.destroy();
      agents.clear();
    }
    agent = new https.Agent({ keepAlive: true, ca: caBundle(config) });
    agents.set(key, agent);
  }
  return agent;
}

/** Go's rendering of the usual transport failures. */
function describe(err: NodeJS.ErrnoException, url: URL, connect?: { host: string; port: number }): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return `dial tcp ${connect ? `${connect.host}:${connect.port}` : `${url.hostname.replace(/^\[|\]$/g, '')}:${url.port || 443}`}: connect: connection refused`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `dial tcp: lookup ${url.hostname}: no such host`;
    case 'ECONNRESET':
      return 'EOF';
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return 'tls: failed to verify certificate: x509: certificate signed by unknown authority';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `tls: failed to verify certificate: x509: certificate is not valid for ${url.hostname}`;
    case 'CERT_HAS_EXPIRED':
      return 'tls: failed to verify certificate: x509: certificate has expired or is not yet valid';
    default:
      return err.message;
  }
}

/**
 * POSTs `body` and returns the parsed JSON answer. Throws WebhookCallError with kube's reason text on
 * transport errors, timeouts, non-2xx answers and bodies that are not JSON.
 */
export async function postJSON(config: WebhookClientConfig, body: unknown, timeoutSeconds: number, resolver?: ServiceResolver): Promise<unknown> {
  const url = webhookURL(config);
  url.searchParams.set('timeout', `${timeoutSeconds}s`);
  // A Service is dialled at one of its endpoints, with <name>.<namespace>.svc as TLS server name and Host.
  const svc = config.url ? undefined : config.service;
  const hostHeader = svc ? `${svc.name}.${svc.namespace}.svc:${svc.port ?? 443}` : undefined;
  const target = `Post "${svc ? `https://${hostHeader}${url.pathname}${url.search}` : url.toString()}"`;
  let connect: { host: string; port: number } | undefined;
  if (svc) {
    if (!resolver) throw new WebhookCallError(`${target}: service ${JSON.stringify(svc.name ?? '')} not found`);
    try {
      connect = await resolver.resolve(svc.namespace ?? '', svc.name ?? '', svc.port ?? 443);
    } catch (err) {
      throw new WebhookCallError(`${target}: ${(err as Error).message}`);
    }
  }
  return send(url, config, body, timeoutSeconds, target, connect, hostHeader);
}

function send(url: URL, config: WebhookClientConfig, body: unknown, timeoutSeconds: number, target: string, connect: { host: string; port: number } | undefined, hostHeader: string | undefined): Promise<unknown> {
  const payload = Buffer.from(JSON.stringify(body));
  const controller = new AbortController();
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (err: Error | undefined, value?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(value);
    };
    const timer = setTimeout(() => {
      finish(new WebhookCallError(`${target}: context deadline exceeded`));
      controller.abort();
    }, timeoutSeconds * 1000);
    const req = https.request(
      {
        method: 'POST',
        host: connect?.host ?? url.hostname.replace(/^\[|\]$/g, ''),
        port: connect?.port ?? (url.port || 443),
        path: `${url.pathname}${url.search}`,
        servername: connect ? url.hostname : isIP(url.hostname.replace(/^\[|\]$/g, '')) ? '' : url.hostname,
        signal: controller.signal,
        agent: agentFor(config),
        headers: { 'Content-Type': 'application/json', Accept: 'application/json, */*', 'Content-Length': payload.length, ...(hostHeader ? { Host: hostHeader } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) {
            finish(new WebhookCallError(`${target}: response body too large`));
            controller.abort();
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', (err) => finish(new WebhookCallError(`${target}: ${describe(err, url, connect)}`)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status < 200 || status > 299) {
            finish(new WebhookCallError(unexpectedStatus(status, text)));
            return;
          }
          try {
            finish(undefined, JSON.parse(text));
          } catch (err) {
            finish(new WebhookCallError(`${(err as Error).message}`));
          }
        });
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => finish(new WebhookCallError(`${target}: ${describe(err, url, connect)}`)));
    req.end(payload);
  });
}

/** client-go's text for a non-2xx answer that is not a Status. */
function unexpectedStatus(code: number, body: string): string {
  try {
    const status = JSON.parse(body) as { kind?: string; message?: string };
    if (status.kind === 'Status' && status.message) return status.message;
  } catch {
    // not JSON: fall through
  }
  const trimmed = body.trim();
  if (trimmed) return `an error on the server (${JSON.stringify(trimmed.slice(0, 1024))}) has prevented the request from succeeding`;
  return `the server responded with the status code ${code} but did not return more information`;
}
