// Calls a webhook as kube-apiserver's webhook clients do (admission webhooks, CRD conversion): a JSON
// POST over HTTPS to a URL or a Service, the server verified against the caBundle (the system roots
// when there is none), `?timeout=<n>s` on the URL, the whole call bounded by the timeout so a webhook
// that hangs costs at most that. kube-chain runs no cluster network: a Service is reached at one of
// its endpoints, with TLS still verified for `<service>.<namespace>.svc`. Errors read as Go's http
// client prints them (`Post "<url>": ...`), since kube puts them in client-visible messages.
import https from 'node:https';
import { isIP } from 'node:net';
import { parseCABundle } from '../registry/validation/webhook-client-config.js';
import type { ServiceResolver } from './service-resolver.js';

export interface WebhookClientConfig {
  url?: string;
  service?: { namespace?: string; name?: string; path?: string; port?: number } | null;
  /** base64 PEM, as in the API objects. */
  caBundle?: string;
}

export interface WebhookCall {
  timeoutMs: number;
  /** The `?timeout=` kube appends (conversion: always 30s; admission: the webhook's timeoutSeconds). */
  timeoutQuery: string;
  /** How a Service is reached; without one, its DNS name is dialled (kube's default resolver). */
  resolver?: ServiceResolver;
}

/** A webhook call that did not produce a response body we can use. */
export class WebhookCallError extends Error {}

const MAX_RESPONSE_BYTES = 3 * 1024 * 1024;
const USER_AGENT = 'kube-apiserver-admission';

interface Target {
  url: URL;
  /** host[:port] as Go keeps it (the URL class drops :443; kube's Service URLs keep it). */
  host: string;
  /** The address actually dialled (a Service's endpoint) when it differs from the URL's host. */
  connectHost?: string;
  connectPort?: number;
  /** Why a Service could not be resolved to an endpoint. */
  unresolved?: string;
}

async function targetFor(config: WebhookClientConfig, call: WebhookCall): Promise<Target> {
  if (config.url) {
    const url = new URL(config.url);
    url.searchParams.set('timeout', call.timeoutQuery);
    return { url, host: url.host };
  }
  const svc = config.service ?? {};
  const port = svc.port ?? 443;
  const host = `${svc.name}.${svc.namespace}.svc:${port}`;
  const path = svc.path ?? '';
  const url = new URL(`https://${host}${path.startsWith('/') || path === '' ? path : `/${path}`}`);
  url.searchParams.set('timeout', call.timeoutQuery);
  if (!call.resolver) return { url, host };
  try {
    const endpoint = await call.resolver.resolve(svc.namespace ?? '', svc.name ?? '', port);
    return { url, host, connectHost: endpoint.host, connectPort: endpoint.port };
  } catch (err) {
    return { url, host, unresolved: (err as Error).message };
  }
}

// Connections are kept alive and reused per trust bundle, as kube caches its webhook clients: a TLS
// handshake per call would cost more than most webhooks do.
const agents = new Map<string, https.Agent>();
const MAX_AGENTS = 256;

function agentFor(caBundle: string | undefined): https.Agent {
  const key = caBundle ?? '';
  let agent = agents.get(key);
  if (!agent) {
    if (agents.size >= MAX_AGENTS) {
      for (const old of agents.values()) old.destroy();
      agents.clear();
    }
    let ca: string[] | undefined;
    if (caBundle) {
      const parsed = parseCABundle(Buffer.from(caBundle, 'base64').toString('utf8'));
      if (parsed.error) throw new WebhookCallError(parsed.error);
      ca = parsed.certs;
    }
    agent = new https.Agent({ keepAlive: true, ca });
    agents.set(key, agent);
  }
  return agent;
}

/** Go's rendering of the usual transport failures. */
function describe(err: NodeJS.ErrnoException, target: Target): string {
  const dial = `${target.connectHost ?? target.url.hostname.replace(/^\[|\]$/g, '')}:${target.connectPort ?? (target.url.port || 443)}`;
  switch (err.code) {
    case 'ECONNREFUSED':
      return `dial tcp ${dial}: connect: connection refused`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `dial tcp: lookup ${target.url.hostname}: no such host`;
    case 'ECONNRESET':
      return 'EOF';
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return 'tls: failed to verify certificate: x509: certificate signed by unknown authority';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `tls: failed to verify certificate: x509: certificate is not valid for ${target.url.hostname}`;
    case 'CERT_HAS_EXPIRED':
      return 'tls: failed to verify certificate: x509: certificate has expired or is not yet valid';
    default:
      return err.message;
  }
}

/** client-go's text for a non-2xx answer: the Status's message when it is one. */
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

/** POSTs `body` and returns the parsed JSON answer; any failure is a WebhookCallError with Go's wording. */
export async function postToWebhook(config: WebhookClientConfig, body: unknown, call: WebhookCall): Promise<unknown> {
  const target = await targetFor(config, call);
  const where = `Post ${JSON.stringify(`${target.url.protocol}//${target.host}${target.url.pathname}${target.url.search}`)}`;
  if (target.unresolved) throw new WebhookCallError(`${where}: ${target.unresolved}`);
  const agent = agentFor(config.caBundle);
  const payload = Buffer.from(JSON.stringify(body));
  const controller = new AbortController();
  const hostname = target.url.hostname.replace(/^\[|\]$/g, '');
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
      finish(new WebhookCallError(`${where}: context deadline exceeded`));
      controller.abort();
    }, call.timeoutMs);
    const req = https.request(
      {
        method: 'POST',
        host: target.connectHost ?? hostname,
        port: target.connectPort ?? (target.url.port || 443),
        path: `${target.url.pathname}${target.url.search}`,
        // SNI carries host names only; an IP is still checked against the certificate's IP SANs.
        servername: isIP(hostname) ? '' : hostname,
        signal: controller.signal,
        agent,
        headers: { 'Content-Type': 'application/json', Accept: 'application/json, */*', 'Content-Length': payload.length, 'User-Agent': USER_AGENT, Host: target.host },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) {
            finish(new WebhookCallError(`${where}: response body too large`));
            controller.abort();
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', (err) => finish(new WebhookCallError(`${where}: ${describe(err, target)}`)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status < 200 || status > 299) return finish(new WebhookCallError(unexpectedStatus(status, text)));
          if (text.length === 0) return finish(new WebhookCallError(`0-length response with status code: ${status} and content type: ${res.headers['content-type'] ?? ''}`));
          try {
            finish(undefined, JSON.parse(text));
          } catch (err) {
            finish(new WebhookCallError((err as Error).message));
          }
        });
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => finish(new WebhookCallError(`${where}: ${describe(err, target)}`)));
    req.end(payload);
  });
}
