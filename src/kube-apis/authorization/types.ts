// authorization.k8s.io/v1 review shapes, as JSON (k8s.io/api/authorization/v1 types.go).
import type { KubeObject } from '../../registry/resource.js';

export interface SelectorRequirement {
  key?: string;
  operator?: string;
  values?: string[];
}

export interface SelectorAttributes {
  rawSelector?: string;
  requirements?: SelectorRequirement[];
}

export interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  name?: string;
  fieldSelector?: SelectorAttributes | null;
  labelSelector?: SelectorAttributes | null;
}

export interface NonResourceAttributes {
  path?: string;
  verb?: string;
}

export interface SubjectAccessReviewSpec {
  resourceAttributes?: ResourceAttributes | null;
  nonResourceAttributes?: NonResourceAttributes | null;
  user?: string;
  groups?: string[] | null;
  extra?: Record<string, string[] | null> | null;
  uid?: string;
}

export interface SubjectAccessReviewStatus {
  allowed: boolean;
  denied?: boolean;
  reason?: string;
  evaluationError?: string;
}

export type AccessReview = KubeObject & { spec?: SubjectAccessReviewSpec; status?: SubjectAccessReviewStatus };

export const AUTHORIZATION_GROUP = 'authorization.k8s.io';
