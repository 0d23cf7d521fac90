import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { loadServingMaterial, servingNames } from '../../src/server/serving/serving-material.js';
import { withDefaults } from '../../src/server/options.js';

describe('serving material', () => {
  it('generates a CA, a serving certificate with the SANs and an admin certificate in system:masters, then reuses them', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'kc-certs-'));
    const first = await loadServingMaterial(withDefaults({ dataDir, bindAddress: '127.0.0.2' }));
    const serving = new X509Certificate(first.serving.certPem);
    expect(serving.subjectAltName).toContain('DNS:localhost');
    expect(serving.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(serving.subjectAltName).toContain('IP Address:127.0.0.2');
    expect(serving.subjectAltName).toMatch(/IP Address:(0:0:0:0:0:0:0:1|::1)/);
    const ca = new X509Certificate(first.clientCAPem);
    expect(serving.verify(ca.publicKey)).toBe(true);
    expect(serving.checkIssued(ca)).toBe(true);
    const admin = new X509Certificate(first.admin!.certPem);
    expect(admin.subject).toContain('CN=kube-chain-admin');
    expect(admin.subject).toContain('O=system:masters');
    expect(admin.checkIssued(ca)).toBe(true);
    expect((await stat(join(dataDir, 'admin.key'))).mode & 0o777).toBe(0o600);

    const second = await loadServingMaterial(withDefaults({ dataDir, bindAddress: '127.0.0.2' }));
    expect(second.serving.certPem).toBe(first.serving.certPem);
    expect(second.admin!.certPem).toBe(first.admin!.certPem);

    // A new bind address not covered by the old certificate gets a fresh serving certificate from the same CA.
    const third = await loadServingMaterial(withDefaults({ dataDir, bindAddress: '127.0.0.3' }));
    expect(third.serving.certPem).not.toBe(first.serving.certPem);
    expect(new X509Certificate(third.serving.certPem).subjectAltName).toContain('IP Address:127.0.0.3');
    expect(third.clientCAPem).toBe(first.clientCAPem);
    expect(await readFile(join(dataDir, 'apiserver.crt'), 'utf8')).toBe(third.serving.certPem);
  });

  it('covers a DNS bind address by name and skips wildcard addresses', () => {
    expect(servingNames('myhost.example').dnsNames).toContain('myhost.example');
    expect(servingNames('0.0.0.0').ipAddresses).toEqual(['127.0.0.1', '::1']);
  });
});
