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
});
