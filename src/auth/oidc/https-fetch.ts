// A fetch for the identity provider's discovery document and JWKS that trusts the CA bundle of
// --oidc-ca-file (or the system's roots without it), as kube's OIDC client does. It follows no
// redirects and gives up after the timeout.
import https from 'node:https';

export type HttpsFetch = (url: string, init?: { headers?: Headers; signal?: AbortSignal }) => Promise<Response>;

const MAX_BODY_BYTES = 1 << 20;

export function httpsFetch(caPem: string | undefined, timeoutMs = 10_000): HttpsFetch {
  return (url, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const target = new URL(url);
      if (target.protocol !== 'https:') {
        reject(new Error(`oidc: refusing to fetch ${url}: only https is allowed`));
        return;
      }
      const headers: Record<string, string> = {};
      init.headers?.forEach((value, key) => (headers[key] = value));
      const req = https.request(target, { method: 'GET', ca: caPem, headers, timeout: timeoutMs, signal: init.signal }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) req.destroy(new Error(`oidc: response from ${url} is larger than ${MAX_BODY_BYTES} bytes`));
          else chunks.push(chunk);
        });
        res.on('end', () => {
          const responseHeaders = new Headers();
          for (const [key, value] of Object.entries(res.headers)) if (typeof value === 'string') responseHeaders.set(key, value);
          resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 0, headers: responseHeaders }));
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`oidc: request to ${url} timed out`)));
      req.on('error', reject);
      req.end();
    });
}
