// A CRD conversion webhook for tests: answers each ConversionReview with `convert` applied to every
// object, and records the reviews it was sent.
import type { BackendHandler } from './https-backend.js';

export function conversionWebhook(convert: (obj: any, toAPIVersion: string) => any, reviews: any[] = []): BackendHandler {
  return (req, res) => {
    const review = JSON.parse(req.body);
    reviews.push(review);
    const convertedObjects = review.request.objects.map((o: any) => convert(o, review.request.desiredAPIVersion));
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview', response: { uid: review.request.uid, convertedObjects, result: { status: 'Success' } } }));
  };
}
