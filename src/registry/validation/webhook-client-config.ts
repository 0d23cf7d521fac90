// kube's webhook client configuration checks (k8s.io/apiserver/pkg/util/webhook/validation.go, as of
// kube 1.32), shared by admission webhooks and CRD conversion webhooks, with the URL read the way Go's
// url.Parse splits it (scheme, user info, host, query, fragment).
import { X509Certificate } from 'node:crypto';
import type { FieldError } from '../../endpoints/status.js';
import { childPath, fieldInvalid, fieldRequired, goStringSlice, keyPath } from './field-errors.js';
import { inclusiveRangeError, isDNS1035Label, isDNS1123Subdomain } from './names.js';

const FORM = '; desired format: https://host[/path]';

interface GoURL {
  scheme: string;
  user?: string;
  host: string;
  rawQuery: string;
  fragment: string;
}

/** The parts of a URL as Go's url.Parse finds them (enough for the checks kube makes). */
export function parseGoURL(raw: string): GoURL | { error: string } {
  let rest = raw;
  let fragment = '';
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    fragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  let scheme = '';
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(rest);
  if (m) {
    scheme = m[1].toLowerCase();
    rest = rest.slice(m[0].length);
  } else if (rest.startsWith(':')) return { error: `parse ${JSON.stringify(raw)}: missing protocol scheme` };
  let rawQuery = '';
  const q = rest.indexOf('?');
  if (q >= 0) {
    rawQuery = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  let host = '';
  let user: string | undefined;
  if (rest.startsWith('//')) {
    const end = rest.indexOf('/', 2);
    const authority = end < 0 ? rest.slice(2) : rest.slice(2, end);
    const at = authority.lastIndexOf('@');
    if (at >= 0) {
      user = authority.slice(0, at);
      host = authority.slice(at + 1);
    } else host = authority;
    if (/[\s<>"{}|\\^`]/.test(host)) return { error: `parse ${JSON.stringify(raw)}: invalid character in host name` };
  }
  return { scheme, user, host, rawQuery, fragment };
}

/** ValidateWebhookURL (forceHttps: admission webhooks) */
export function validateWebhookURL(path: string, url: string, forceHttps: boolean): FieldError[] {
  const u = parseGoURL(url);
  if ('error' in u) return [fieldRequired(path, `url must be a valid URL: ${u.error}${FORM}`)];
  const errors: FieldError[] = [];
  if (forceHttps && u.scheme !== 'https') errors.push(fieldInvalid(path, u.scheme, `'https' is the only allowed URL scheme${FORM}`));
  if (u.host.length === 0) errors.push(fieldInvalid(path, u.host, `host must be specified${FORM}`));
  if (u.user !== undefined) errors.push(fieldInvalid(path, u.user, 'user information is not permitted in the URL'));
  if (u.fragment.length !== 0) errors.push(fieldInvalid(path, u.fragment, 'fragments are not permitted in the URL'));
  if (u.rawQuery.length !== 0) errors.push(fieldInvalid(path, u.rawQuery, 'query parameters are not permitted in the URL'));
  return errors;
}

/** ValidateWebhookService */
export function validateWebhookService(path: string, namespace: string, name: string, urlPath: string | undefined, port: number): FieldError[] {
  const errors: FieldError[] = [];
  if (!name) errors.push(fieldRequired(childPath(path, 'name'), 'service name is required'));
  if (!namespace) errors.push(fieldRequired(childPath(path, 'namespace'), 'service namespace is required'));
  if (!Number.isInteger(port) || port < 1 || port > 65535) errors.push(fieldInvalid(childPath(path, 'port'), port, `port is not valid: ${inclusiveRangeError(1, 65535)}`));
  if (urlPath === undefined || urlPath === '/' || urlPath === '') return errors;
  const pathField = childPath(path, 'path');
  if (urlPath === '//') {
    errors.push(fieldInvalid(pathField, urlPath, 'segment[0] may not be empty'));
    return errors;
  }
  if (!urlPath.startsWith('/')) errors.push(fieldInvalid(pathField, urlPath, "must start with a '/'"));
  let check = urlPath.slice(1);
  if (check.endsWith('/')) check = check.slice(0, -1);
  check.split('/').forEach((step, i) => {
    if (step.length === 0) {
      errors.push(fieldInvalid(pathField, urlPath, `segment[${i}] may not be empty`));
      return;
    }
    for (const failure of isDNS1123Subdomain(step)) errors.push(fieldInvalid(pathField, urlPath, `segment[${i}]: ${failure}`));
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

/**
 * kube's review-versions check (conversionReviewVersions, admissionReviewVersions): each a DNS-1035
 * label once, at least one the server understands. `requiredDetail` is what an empty list says.
 */
export function validateReviewVersions(path: string, versions: readonly string[], accepted: readonly string[], requiredDetail = ''): FieldError[] {
  if (versions.length === 0) return [fieldRequired(path, requiredDetail)];
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  versions.forEach((v, i) => {
    if (seen.has(v)) {
      errors.push(fieldInvalid(keyPath(path, i), v, 'duplicate version'));
      return;
    }
    seen.add(v);
    for (const msg of isDNS1035Label(v)) errors.push(fieldInvalid(keyPath(path, i), v, msg));
  });
  if (!versions.some((v) => accepted.includes(v))) errors.push(fieldInvalid(path, goStringSlice(versions), `must include at least one of ${accepted.join(', ')}`));
  return errors;
}
