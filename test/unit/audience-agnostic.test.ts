// kube's WrapAudienceAgnosticToken (k8s.io/apiserver/pkg/authentication/authenticator/audagnostic.go).
import { describe, expect, it } from 'vitest';
import { audienceAgnosticToken } from '../../src/auth/audience-agnostic.js';
import type { TokenAuthenticator } from '../../src/auth/token-authenticator.js';

const fixed: TokenAuthenticator = { authenticateToken: (token) => (token === 'good' ? { user: { name: 'u', groups: [] } } : null) };

describe('audience-agnostic token authenticators', () => {
  const wrapped = audienceAgnosticToken(['api', 'also-api'], fixed);

  it('change nothing when the request names no audiences', async () => {
    expect(await wrapped.authenticateToken('good')).toEqual({ user: { name: 'u', groups: [] } });
  });

  it('answer with the API audiences the request asked for', async () => {
    expect(await wrapped.authenticateToken('good', ['x', 'also-api'])).toEqual({ user: { name: 'u', groups: [] }, audiences: ['also-api'] });
    expect(await wrapped.authenticateToken('bad', ['api'])).toBeNull();
  });

  it('do not recognise tokens for other audiences', async () => {
    expect(await wrapped.authenticateToken('good', ['vault'])).toBeNull();
    expect(await audienceAgnosticToken([], fixed).authenticateToken('good', ['api'])).toBeNull();
  });

  it('refuse to wrap an authenticator that knows audiences', async () => {
    const aware = audienceAgnosticToken(['api'], { authenticateToken: () => ({ user: { name: 'u', groups: [] }, audiences: ['api'] }) });
    await expect(aware.authenticateToken('t', ['api'])).rejects.toThrow('audience agnostic authenticator wrapped an authenticator that returned audiences: ["api"]');
  });
});
