// kube's authenticator.WithAudiences / AudiencesFrom: the audiences a request's credential must be
// meant for, when the caller says so (TokenReview's spec.audiences). Without them, token
// authenticators check against the server's API audiences (--api-audiences) as usual.
import type { IncomingMessage } from 'node:http';

const audiences = new WeakMap<IncomingMessage, string[]>();

export function withAudiences(req: IncomingMessage, auds: string[]): void {
  audiences.set(req, [...auds]);
}

export function requestAudiences(req: IncomingMessage): string[] | undefined {
  return audiences.get(req);
}

/** authenticator.Audiences.Intersect: the audiences in both lists, in the order of the first. */
export function intersectAudiences(wanted: readonly string[], got: readonly string[] | undefined): string[] {
  return wanted.filter((a) => (got ?? []).includes(a));
}
