// kube's webhook client configuration checks (k8s.io/apiserver/pkg/util/webhook/validation.go), shared
// by CRD conversion webhooks and anything else that calls out to a webhook.
import { X509Certificate } from 'node:crypto';
import type { FieldError } from '../../endpoints/status.js';
import { fieldInvalid, fieldRequired } from './field-errors.js';
import { isDNS1123Subdomain } from './names.js';

const DESIRED_FORMAT = '; desired format: https://host[/path]';

/** The parts of a URL as Go's url.Parse splits them (enough for kube's checks). */
function splitURL(text: string): { scheme: string; user?: string; host: string; query: string; fragment: string } | undefined {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(text);
  if (!m) return undefined;
  const authority = m[2] ?? '';
  const at = authority.lastIndexOf('@');
  return { scheme: m[1].toLowerCase(), user: at >= 0 ? authority.slice(0, at) : undefined, host: at >= 0 ? authority.slice(at + 1) : authority, query: m[4] ?? '', fragment: m[5] ?? '' };
}

export function validateWebhookURL(path: string, url: string, forceHttps: boolean): FieldError[] {
  const u = splitURL(url);
  if (!u) return [fieldRequired(path, `url must be a valid URL: parse ${JSON.stringify(url)}: missing protocol scheme${DESIRED_FORMAT}`)];
  const errors: FieldError[] = [];
  if (forceHttps && u.scheme !== 'https') errors.push(fieldInvalid(path, u.scheme, `'https' is the only allowed URL scheme${DESIRED_FORMAT}`));
  if (u.host === '') errors.push(fieldInvalid(path, u.host, `host must be specified${DESIRED_FORMAT}`));
  if (u.user !== undefined) errors.push(fieldInvalid(path, u.user, 'user information is not permitted in the URL'));
  if (u.fragment) errors.push(fieldInvalid(path, u.fragment, 'fragments are not permitted in the URL'));
  if (u.query) errors.push(fieldInvalid(path, u.query, 'query parameters are not permitted in the URL'));
  return errors;
}

export function validateWebhookService(path: string, namespace: string | undefined, name: string | undefined, urlPath: string | undefined, port: number): FieldError[] {
  const errors: FieldError[] = [];
  if (!name) errors.push(fieldRequired(`${path}.name`));
  if (!namespace) errors.push(fieldRequired(`${path}.namespace`));
  if (!Number.isInteger(port) || port < 1 || port > 65535) errors.push(fieldInvalid(`${path}.port`, port, 'port is not valid: must be between 1 and 65535, inclusive'));
  if (urlPath === undefined || urlPath === '/' || urlPath === '') return errors;
  if (urlPath === '//') return [...errors, fieldInvalid(`${path}.path`, urlPath, 'segment[0] may not be empty')];
  if (!urlPath.startsWith('/')) errors.push(fieldInvalid(`${path}.path`, urlPath, "must start with a '/'"));
  let rest = urlPath.slice(1);
  if (rest.endsWith('/')) rest = rest.slice(0, -1);
  rest.split('/').forEach((step, i) => {
    if (step === '') errors.push(fieldInvalid(`${path}.path`, urlPath, `segment[${i}] may not be empty`));
    else for (const failure of isDNS1123Subdomain(step)) errors.push(fieldInvalid(`${path}.path`, urlPath, `segment[${i}]: ${failure}`));
  });
  return errors;
}

/** The PEM certificates of a caBundle (client-go's rootCertPool), or the error it gives. */
export function parseCABundle(pem: string): { certs: string[]; error?: string } {
  const blocks = [...pem.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g)];
  const certs: string[] = [];
  for (const block of blocks) {
    if (block[1] !== 'CERTIFICATE') continue;
    try {
      new X509Certificate(block[0]);
      certs.push(block[0]);
    } catch (err) {
      return { certs, error: `unable to load root certificates: failed to parse certificate: ${(err as Error).message}` };
    }
  }
  if (certs.length > 0) return { certs };
  if (blocks.length === 0) return { certs, error: 'unable to load root certificates: unable to parse bytes as PEM block' };
  return { certs, error: 'unable to load root certificates: no valid certificate authority data seen' };
}

/** caBundle is base64 in JSON: `path` names it; the value is the decoded PEM. */
export function validateCABundle(path: string, caBundleBase64: string): FieldError[] {
  const { error } = parseCABundle(Buffer.from(caBundleBase64, 'base64').toString('utf8'));
  return error ? [fieldInvalid(path, caBundleBase64, error)] : [];
}
