// authentication.k8s.io/v1: TokenReview and SelfSubjectReview (create-only: nothing is stored).
import type { Authenticator } from '../../auth/authenticator.js';
import type { CreateOnlyResource } from '../../endpoints/handlers/create-only.js';
import { defineReview } from '../review-resource.js';
import { tokenReviews } from './token-review.js';
import { selfSubjectReviews } from './self-subject-review.js';

export const AUTHENTICATION_GROUP = 'authentication.k8s.io';

export const tokenReviewDef = defineReview(AUTHENTICATION_GROUP, 'TokenReview');
export const selfSubjectReviewDef = defineReview(AUTHENTICATION_GROUP, 'SelfSubjectReview');

export function authenticationV1Reviews(authenticator: Authenticator, apiAudiences: string[]): CreateOnlyResource[] {
  return [tokenReviews(tokenReviewDef, authenticator, apiAudiences), selfSubjectReviews(selfSubjectReviewDef)];
}
