// AdmissionReview (admission.k8s.io/v1, or v1beta1 when that is all a webhook accepts) as kube builds
// it for a webhook call (webhook/request/admissionreview.go), and kube's checks of the answer.
import { randomUUID } from 'node:crypto';
import type { UserInfo } from '../../auth/user.js';
import type { KubeObject } from '../../registry/resource.js';
import type { GroupVersionKind, GroupVersionResource } from '../rules.js';
import type { Invocation } from '../match-resources.js';

export interface ReviewAttributes {
  operation: string;
  resource: GroupVersionResource;
  kind: GroupVersionKind;
  subresource: string;
  name: string;
  namespace: string;
  user: UserInfo;
  object?: KubeObject;
  oldObject?: KubeObject;
  dryRun: boolean;
  options?: Record<string, unknown>;
}

export interface AdmissionResponse {
  uid?: string;
  allowed?: boolean;
  status?: { code?: number; message?: string; reason?: string; status?: string; details?: unknown };
  patch?: string;
  patchType?: string;
  warnings?: string[];
  auditAnnotations?: Record<string, string>;
}

function userInfo(user: UserInfo): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (user.name) out.username = user.name;
  if (user.uid) out.uid = user.uid;
  if (user.groups.length > 0) out.groups = user.groups;
  if (user.extra && Object.keys(user.extra).length > 0) out.extra = user.extra;
  return out;
}

/** An object as the webhook sees it: the version the invocation matched (conversion is a relabel here). */
function asVersion(obj: KubeObject | undefined, kind: GroupVersionKind): KubeObject | null {
  if (!obj) return null;
  const apiVersion = kind.group ? `${kind.group}/${kind.version}` : kind.version;
  return obj.apiVersion === apiVersion ? obj : { ...obj, apiVersion };
}

export function admissionReviewVersion(accepted: readonly string[] | null | undefined): 'v1' | 'v1beta1' {
  for (const v of accepted ?? []) if (v === 'v1' || v === 'v1beta1') return v;
  return 'v1';
}

/** CreateAdmissionObjects: a fresh uid per call; object/oldObject null when absent, dryRun always set. */
export function buildAdmissionReview(attrs: ReviewAttributes, invocation: Invocation, version: 'v1' | 'v1beta1'): { uid: string; review: Record<string, unknown> } {
  const uid = randomUUID();
  const request: Record<string, unknown> = {
    uid,
    kind: invocation.kind,
    resource: invocation.resource,
  };
  if (attrs.subresource) request.subResource = attrs.subresource;
  request.requestKind = attrs.kind;
  request.requestResource = attrs.resource;
  if (attrs.subresource) request.requestSubResource = attrs.subresource;
  if (attrs.name) request.name = attrs.name;
  if (attrs.namespace) request.namespace = attrs.namespace;
  request.operation = attrs.operation;
  request.userInfo = userInfo(attrs.user);
  request.object = asVersion(attrs.object, invocation.kind);
  request.oldObject = asVersion(attrs.oldObject, invocation.kind);
  request.dryRun = attrs.dryRun;
  request.options = attrs.options ?? null;
  return { uid, review: { kind: 'AdmissionReview', apiVersion: `admission.k8s.io/${version}`, request } };
}

/** VerifyAdmissionResponse: the answer's kind, uid and patch fields; returns the response. */
export function verifyAdmissionResponse(uid: string, mutating: boolean, version: 'v1' | 'v1beta1', answer: unknown): AdmissionResponse {
  const review = (answer && typeof answer === 'object' ? answer : {}) as { kind?: string; apiVersion?: string; response?: AdmissionResponse | null };
  if (version === 'v1') {
    const gvk = `${review.apiVersion ?? ''}, Kind=${review.kind ?? ''}`;
    if (review.apiVersion !== 'admission.k8s.io/v1' || review.kind !== 'AdmissionReview') {
      throw new Error(`expected webhook response of admission.k8s.io/v1, Kind=AdmissionReview, got ${gvk}`);
    }
  }
  const response = review.response;
  if (!response) throw new Error('webhook response was absent');
  if ((response.uid ?? '') !== uid) throw new Error(`expected response.uid=${JSON.stringify(uid)}, got ${JSON.stringify(response.uid ?? '')}`);
  if (mutating && version === 'v1') {
    if (response.patch && !response.patchType) throw new Error('webhook returned response.patch but not response.patchType');
    if (response.patchType && !response.patch) throw new Error('webhook returned response.patchType but not response.patch');
  }
  return response;
}
