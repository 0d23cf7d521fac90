// kube's pkg/apis/authorization/validation (1.32): what a SubjectAccessReview, SelfSubjectAccessReview
// and LocalSubjectAccessReview must hold. Bad values print as kube prints them: a missing pointer as
// "null", the internal structs with %#v.
import type { FieldError } from '../../endpoints/status.js';
import { fieldInvalid, GoLiteral } from '../../registry/validation/field-errors.js';
import { goObjectMeta, objectMetaIsEmpty } from '../../registry/validation/go-object-meta.js';
import { goQuote } from '../../endpoints/go-strconv.js';
import type { AccessReview, NonResourceAttributes, SubjectAccessReviewSpec } from './types.js';

/** %#v of the internal authorization.NonResourceAttributes (a missing one is a nil pointer: "null"). */
function goNonResourceAttributes(attrs: NonResourceAttributes | null | undefined): GoLiteral | null {
  if (!attrs) return null;
  return new GoLiteral(`authorization.NonResourceAttributes{Path:${goQuote(attrs.path ?? '')}, Verb:${goQuote(attrs.verb ?? '')}}`);
}

function validateAttributesChoice(spec: SubjectAccessReviewSpec, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (spec.resourceAttributes && spec.nonResourceAttributes) {
    errors.push(fieldInvalid(`${path}.nonResourceAttributes`, goNonResourceAttributes(spec.nonResourceAttributes), 'cannot be specified in combination with resourceAttributes'));
  }
  if (!spec.resourceAttributes && !spec.nonResourceAttributes) {
    errors.push(fieldInvalid(`${path}.resourceAttributes`, goNonResourceAttributes(spec.nonResourceAttributes), 'exactly one of nonResourceAttributes or resourceAttributes must be specified'));
  }
  return errors;
}

function validateSubjectAccessReviewSpec(spec: SubjectAccessReviewSpec, path: string): FieldError[] {
  const errors = validateAttributesChoice(spec, path);
  if (!spec.user && (spec.groups ?? []).length === 0) errors.push(fieldInvalid(`${path}.user`, spec.user ?? '', 'at least one of user or group must be specified'));
  return errors;
}

function metadataErrors(review: AccessReview, ignoring: string[], detail: string): FieldError[] {
  if (objectMetaIsEmpty(review.metadata as Record<string, unknown>, ignoring)) return [];
  return [fieldInvalid('metadata', goObjectMeta(review.metadata as Record<string, unknown>), detail)];
}

export function validateSubjectAccessReview(review: AccessReview): FieldError[] {
  return [...validateSubjectAccessReviewSpec(review.spec ?? {}, 'spec'), ...metadataErrors(review, ['managedFields'], 'must be empty')];
}

export function validateSelfSubjectAccessReview(review: AccessReview): FieldError[] {
  return [...validateAttributesChoice(review.spec ?? {}, 'spec'), ...metadataErrors(review, ['managedFields'], 'must be empty')];
}

export function validateLocalSubjectAccessReview(review: AccessReview): FieldError[] {
  const spec = review.spec ?? {};
  const errors = [...validateSubjectAccessReviewSpec(spec, 'spec'), ...metadataErrors(review, ['managedFields', 'namespace'], 'must be empty except for namespace')];
  const namespace = review.metadata?.namespace ?? '';
  if (spec.resourceAttributes && (spec.resourceAttributes.namespace ?? '') !== namespace) {
    errors.push(fieldInvalid('spec.resourceAttributes.namespace', spec.resourceAttributes.namespace ?? '', 'must match metadata.namespace'));
  }
  if (spec.nonResourceAttributes) {
    errors.push(fieldInvalid('spec.nonResourceAttributes', goNonResourceAttributes(spec.nonResourceAttributes), 'disallowed on this kind of request'));
  }
  return errors;
}
