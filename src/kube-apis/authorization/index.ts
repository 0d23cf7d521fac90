// authorization.k8s.io/v1: the access reviews and the rules review, answered by the server's
// authorizer and rule resolver (create-only: nothing is stored).
import type { Authorizer, RuleResolver } from '../../auth/authorizer.js';
import type { CreateOnlyResource } from '../../endpoints/handlers/create-only.js';
import { defineReview } from '../review-resource.js';
import { localSubjectAccessReviews, selfSubjectAccessReviews, subjectAccessReviews } from './access-reviews.js';
import { selfSubjectRulesReviews } from './rules-review.js';
import { AUTHORIZATION_GROUP } from './types.js';

export const subjectAccessReviewDef = defineReview(AUTHORIZATION_GROUP, 'SubjectAccessReview');
export const selfSubjectAccessReviewDef = defineReview(AUTHORIZATION_GROUP, 'SelfSubjectAccessReview');
export const localSubjectAccessReviewDef = defineReview(AUTHORIZATION_GROUP, 'LocalSubjectAccessReview', true);
export const selfSubjectRulesReviewDef = defineReview(AUTHORIZATION_GROUP, 'SelfSubjectRulesReview');

export function authorizationV1Reviews(authorizer: Authorizer, ruleResolver: () => RuleResolver): CreateOnlyResource[] {
  return [
    subjectAccessReviews(subjectAccessReviewDef, authorizer),
    selfSubjectAccessReviews(selfSubjectAccessReviewDef, authorizer),
    localSubjectAccessReviews(localSubjectAccessReviewDef, authorizer),
    selfSubjectRulesReviews(selfSubjectRulesReviewDef, ruleResolver),
  ];
}
