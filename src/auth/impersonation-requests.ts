// What a request asks to impersonate, read from its headers as kube's buildImpersonationRequests
// reads them (k8s.io/apiserver/pkg/endpoints/filters/impersonation.go, 1.32): Impersonate-User (a
// "system:serviceaccount:<ns>:<name>" user is a service account), every Impersonate-Group,
// Impersonate-Extra-<key> (key lower-cased, then percent-decoded; one request per value), and
// Impersonate-Uid. Each becomes one thing to authorize with the verb `impersonate`.
import type { IncomingMessage } from 'node:http';
import { validateNamespaceName, validateServiceAccountName } from '../registry/validation/names.js';

export const IMPERSONATE_USER = 'impersonate-user';
export const IMPERSONATE_GROUP = 'impersonate-group';
export const IMPERSONATE_UID = 'impersonate-uid';
export const IMPERSONATE_EXTRA_PREFIX = 'impersonate-extra-';

const AUTHENTICATION_V1 = 'authentication.k8s.io/v1';
const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';

/** A v1.ObjectReference as kube builds one per impersonation request (fieldPath carries an extra's key). */
export interface ImpersonationRequest {
  kind: 'ServiceAccount' | 'User' | 'Group' | 'UserExtra' | 'UID';
  namespace: string;
  name: string;
  apiVersion: string;
  fieldPath: string;
}

/** Each header's values in the order sent, by lower-cased name (node joins repeated headers; Go keeps them apart). */
function headerValues(req: IncomingMessage): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i].toLowerCase();
    if (!name.startsWith('impersonate-')) continue;
    const list = values.get(name) ?? [];
    list.push(req.rawHeaders[i + 1]);
    values.set(name, list);
  }
  return values;
}

/** url.PathUnescape; a malformed escape leaves the key as it was. */
export function pathUnescape(text: string): string {
  if (!text.includes('%')) return text;
  const bytes: number[] = [];
  for (let i = 0; i < text.length; ) {
    if (text[i] === '%') {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return text;
      bytes.push(parseInt(hex, 16));
      i += 3;
    } else {
      bytes.push(...Buffer.from(text[i], 'utf8'));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** serviceaccount.SplitUsername: namespace and name of a valid service-account user name, or undefined. */
export function splitServiceAccountUsername(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SERVICE_ACCOUNT_PREFIX)) return undefined;
  const parts = username.slice(SERVICE_ACCOUNT_PREFIX.length).split(':');
  if (parts.length !== 2) return undefined;
  const [namespace, name] = parts;
  if (validateNamespaceName(namespace, false).length > 0 || validateServiceAccountName(name, false).length > 0) return undefined;
  return { namespace, name };
}

/** Go's %v of a []v1.ObjectReference (the error for groups, extras or a uid without a user). */
function goReferences(requests: ImpersonationRequest[]): string {
  const one = (r: ImpersonationRequest) => `{${[r.kind, r.namespace, r.name, '', r.apiVersion, '', r.fieldPath].join(' ')}}`;
  return `[${requests.map(one).join(' ')}]`;
}

const ref = (kind: ImpersonationRequest['kind'], name: string, extra: Partial<ImpersonationRequest> = {}): ImpersonationRequest => ({
  kind,
  namespace: '',
  name,
  apiVersion: '',
  fieldPath: '',
  ...extra,
});

export interface ParsedImpersonation {
  requests: ImpersonationRequest[];
  /** An Impersonate-Group header was sent (then the groups given are all the groups). */
  groupsSpecified: boolean;
}

/** Throws (kube answers it with a 500) when groups, extras or a uid come without a user. */
export function impersonationRequests(req: IncomingMessage): ParsedImpersonation {
  const headers = headerValues(req);
  const requests: ImpersonationRequest[] = [];
  const user = headers.get(IMPERSONATE_USER)?.[0] ?? '';
  if (user) {
    const sa = splitServiceAccountUsername(user);
    requests.push(sa ? ref('ServiceAccount', sa.name, { namespace: sa.namespace }) : ref('User', user));
  }
  const groups = headers.get(IMPERSONATE_GROUP) ?? [];
  for (const group of groups) requests.push(ref('Group', group));
  let hasExtra = false;
  for (const [name, values] of headers) {
    if (!name.startsWith(IMPERSONATE_EXTRA_PREFIX)) continue;
    hasExtra = true;
    const key = pathUnescape(name.slice(IMPERSONATE_EXTRA_PREFIX.length));
    for (const value of values) requests.push(ref('UserExtra', value, { apiVersion: AUTHENTICATION_V1, fieldPath: key }));
  }
  const uid = headers.get(IMPERSONATE_UID)?.[0] ?? '';
  if (uid) requests.push(ref('UID', uid, { apiVersion: AUTHENTICATION_V1 }));
  if ((groups.length > 0 || hasExtra || uid) && !user) throw new Error(`requested ${goReferences(requests)} without impersonating a user`);
  return { requests, groupsSpecified: groups.length > 0 };
}

/** Removes every impersonation header, so that nothing behind the filter acts on them again. */
export function stripImpersonationHeaders(req: IncomingMessage): void {
  const isImpersonation = (name: string) => name.toLowerCase().startsWith('impersonate-');
  for (const name of Object.keys(req.headers)) if (isImpersonation(name)) delete req.headers[name];
  const kept: string[] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) if (!isImpersonation(req.rawHeaders[i])) kept.push(req.rawHeaders[i], req.rawHeaders[i + 1]);
  req.rawHeaders = kept;
}
