// The authentication flags as kube-apiserver spells and repeats them.
import { describe, expect, it } from 'vitest';
import { parseFlags } from '../../src/server/flags.js';

describe('authentication flags', () => {
  it('service accounts: repeatable issuers and key files, comma-separated audiences, max expiration as a duration', () => {
    const options = parseFlags([
      '--service-account-signing-key-file=/k/sa.key',
      '--service-account-key-file=/k/a.pub',
      '--service-account-key-file',
      '/k/b.pub',
      '--service-account-issuer=https://new.example',
      '--service-account-issuer=https://old.example',
      '--api-audiences=a,b',
      '--service-account-max-token-expiration=48h',
    ]);
    expect(options).toMatchObject({
      serviceAccountSigningKeyFile: '/k/sa.key',
      serviceAccountKeyFiles: ['/k/a.pub', '/k/b.pub'],
      serviceAccountIssuers: ['https://new.example', 'https://old.example'],
      apiAudiences: ['a', 'b'],
      serviceAccountMaxTokenExpirationSeconds: 48 * 3600,
    });
  });

  it('service accounts: defaults', () => {
    expect(parseFlags([])).toMatchObject({ serviceAccountKeyFiles: [], serviceAccountIssuers: [], apiAudiences: [], serviceAccountMaxTokenExpirationSeconds: 0 });
  });

  it('oidc: claims, prefixes, CA, repeatable required claims (key=value), signing algorithms', () => {
    const options = parseFlags([
      '--oidc-issuer-url=https://idp.example',
      '--oidc-client-id=kube',
      '--oidc-username-claim=email',
      '--oidc-username-prefix=-',
      '--oidc-groups-claim=groups',
      '--oidc-groups-prefix=oidc:',
      '--oidc-ca-file=/ca.crt',
      '--oidc-required-claim=tenant=blue',
      '--oidc-required-claim=hd=example.com,env=prod',
      '--oidc-signing-algs=RS256,ES256',
    ]);
    expect(options).toMatchObject({
      oidcIssuerURL: 'https://idp.example',
      oidcClientID: 'kube',
      oidcUsernameClaim: 'email',
      oidcUsernamePrefix: '-',
      oidcGroupsClaim: 'groups',
      oidcGroupsPrefix: 'oidc:',
      oidcCAFile: '/ca.crt',
      oidcRequiredClaims: { tenant: 'blue', hd: 'example.com', env: 'prod' },
      oidcSigningAlgs: ['RS256', 'ES256'],
    });
    expect(parseFlags([])).toMatchObject({ oidcUsernameClaim: 'sub', oidcRequiredClaims: {}, oidcSigningAlgs: ['RS256'] });
    expect(() => parseFlags(['--oidc-required-claim=novalue'])).toThrow('invalid argument "novalue" for "--oidc-required-claim" flag: novalue must be formatted as key=value');
  });

  it('token webhook: config file, version (kube\'s default v1beta1), cache TTL (default 2m)', () => {
    expect(parseFlags([])).toMatchObject({ authenticationTokenWebhookVersion: 'v1beta1', authenticationTokenWebhookCacheTTLSeconds: 120 });
    expect(parseFlags(['--authentication-token-webhook-config-file=/w.kubeconfig', '--authentication-token-webhook-version=v1', '--authentication-token-webhook-cache-ttl=30s'])).toMatchObject({
      authenticationTokenWebhookConfigFile: '/w.kubeconfig',
      authenticationTokenWebhookVersion: 'v1',
      authenticationTokenWebhookCacheTTLSeconds: 30,
    });
  });

  it('front proxy: CA file, allowed names, header names (comma-separated), uid headers', () => {
    expect(
      parseFlags([
        '--requestheader-client-ca-file=/ca.crt',
        '--requestheader-allowed-names=front-proxy-client,aggregator',
        '--requestheader-username-headers=X-Remote-User',
        '--requestheader-uid-headers=X-Remote-Uid',
        '--requestheader-group-headers=X-Remote-Group',
        '--requestheader-extra-headers-prefix=X-Remote-Extra-',
      ]),
    ).toMatchObject({
      requestheaderClientCAFile: '/ca.crt',
      requestheaderAllowedNames: ['front-proxy-client', 'aggregator'],
      requestheaderUsernameHeaders: ['X-Remote-User'],
      requestheaderUIDHeaders: ['X-Remote-Uid'],
      requestheaderGroupHeaders: ['X-Remote-Group'],
      requestheaderExtraHeadersPrefix: ['X-Remote-Extra-'],
    });
  });
});
