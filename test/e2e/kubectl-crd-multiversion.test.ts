// A realistic multi-version CRD through the real kubectl: a large schema with CEL rules, printer
// columns, status and scale, a deprecated version, and conversion by a webhook this test serves.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlSession } from '../support/kubectl.js';
import { startHttpsBackend, type HttpsBackend } from '../support/https-backend.js';
import { conversionWebhook } from '../support/conversion-webhook.js';

const SPEC_ANNOTATION = 'certs.example.com/v1-spec';

/** The conversion webhook: v1 spec.secretName/issuerRef.name <-> v1alpha1 spec.secret/issuer; v1-only fields ride in an annotation. */
function convert(obj: any, to: string): any {
  const out = structuredClone(obj);
  out.apiVersion = to;
  const spec = obj.spec ?? {};
  if (to === 'certs.example.com/v1alpha1') {
    out.metadata.annotations = { ...(out.metadata.annotations ?? {}), [SPEC_ANNOTATION]: JSON.stringify(spec) };
    out.spec = { secret: spec.secretName, issuer: spec.issuerRef?.name, dnsNames: spec.dnsNames, replicas: spec.replicas };
  } else {
    const saved = out.metadata.annotations?.[SPEC_ANNOTATION];
    const base = saved ? JSON.parse(saved) : {};
    if (out.metadata.annotations) {
      delete out.metadata.annotations[SPEC_ANNOTATION];
      if (Object.keys(out.metadata.annotations).length === 0) delete out.metadata.annotations;
    }
    out.spec = { ...base, secretName: spec.secret, issuerRef: { ...(base.issuerRef ?? {}), name: spec.issuer }, dnsNames: spec.dnsNames ?? base.dnsNames, replicas: spec.replicas ?? base.replicas };
  }
  return out;
}

const certificate = (name: string, spec: Record<string, unknown>) =>
  JSON.stringify({ apiVersion: 'certs.example.com/v1', kind: 'Certificate', metadata: { name }, spec: { secretName: `${name}-tls`, issuerRef: { name: 'letsencrypt' }, dnsNames: [`${name}.example.com`], ...spec } });

describe('kubectl against kube-chain: a multi-version CRD with a conversion webhook', () => {
  const session = kubectlSession();
  const k = (...args: string[]) => session.k(...args);
  const kIn = (input: string, ...args: string[]) => session.kIn(input, ...args);
  let webhook: HttpsBackend;
  const reviews: any[] = [];

  beforeAll(async () => {
    webhook = await startHttpsBackend(conversionWebhook(convert, reviews));
  });
  afterAll(async () => webhook?.close());

  it('applies the CRD from YAML and waits for Established', async () => {
    const yaml = (await readFile(new URL('../fixtures/certificates-crd.yaml', import.meta.url), 'utf8')).replace('WEBHOOK_URL', `${webhook.url}/convert`).replace('WEBHOOK_CA', webhook.caBundle);
    expect((await kIn(yaml, 'apply', '-f', '-')).stdout.trim()).toBe('customresourcedefinition.apiextensions.k8s.io/certificates.certs.example.com created');
    const waited = await k('wait', '--for', 'condition=Established', 'crd/certificates.certs.example.com', '--timeout=20s');
    expect(waited.stdout.trim()).toBe('customresourcedefinition.apiextensions.k8s.io/certificates.certs.example.com condition met');
    const storedVersions = (await k('get', 'crd', 'certificates.certs.example.com', '-o', 'jsonpath={.status.storedVersions}')).stdout;
    expect(storedVersions).toBe('["v1"]');
  });

  it('creates valid objects in both versions and refuses invalid ones with kube messages', async () => {
    expect((await kIn(certificate('web', { duration: '2160h', renewBefore: '360h', usages: ['server auth'] }), 'create', '-f', '-')).stdout.trim()).toBe('certificate.certs.example.com/web created');
    const old = await kIn(
      JSON.stringify({ apiVersion: 'certs.example.com/v1alpha1', kind: 'Certificate', metadata: { name: 'legacy' }, spec: { secret: 'legacy-tls', issuer: 'internal-ca', dnsNames: ['legacy.example.com'] } }),
      'create', '-f', '-',
    );
    expect(old.stdout.trim()).toBe('certificate.certs.example.com/legacy created');
    expect(old.stderr).toContain('Warning: certs.example.com/v1alpha1 Certificate is deprecated; use certs.example.com/v1');

    const invalid = await kIn(certificate('bad', { replicas: 50, usages: ['signing', 'signing'], issuerRef: { name: 'x', kind: 'Vault' } }), 'create', '-f', '-');
    expect(invalid.code).not.toBe(0);
    // Schema errors first; kube skips the CEL rules of an object that fails them, and says so.
    expect(invalid.stderr).toBe(
      [
        'The Certificate "bad" is invalid: ',
        '* spec.issuerRef.kind: Unsupported value: "Vault": supported values: "Issuer", "ClusterIssuer"',
        '* spec.replicas: Invalid value: 50: spec.replicas in body should be less than or equal to 20',
        '* spec.usages[1]: Duplicate value: "signing"',
        '* <nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
        '',
      ].join('\n'),
    );
    const rules = await kIn(certificate('rules', { renewBefore: '1h', dnsNames: [], privateKey: { algorithm: 'Ed25519', size: 256 } }), 'create', '-f', '-');
    expect(rules.stderr).toBe(
      [
        'The Certificate "rules" is invalid: ',
        '* spec: Invalid value: "object": renewBefore requires duration',
        '* spec: Invalid value: "object": certificate for secret rules-tls needs a dnsName or a commonName',
        '* spec.privateKey.size: Forbidden: Ed25519 keys have no size',
        '',
      ].join('\n'),
    );
  });

  it('lists with printer columns, -o wide and field selectors on selectableFields', async () => {
    const table = await k('get', 'certificates');
    expect(table.stdout).toMatch(/^NAME\s+READY\s+SECRET\s+AGE\n/);
    // A printer column with no value is an empty cell (kube sends null).
    expect(table.stdout).toMatch(/\nlegacy\s+legacy-tls\s+\d+s\n/);
    expect(table.stdout).toMatch(/\nweb\s+web-tls\s+\d+s\n/);
    const wide = await k('get', 'cert', '-o', 'wide');
    expect(wide.stdout).toMatch(/^NAME\s+READY\s+SECRET\s+ISSUER\s+AGE\n/);
    const selected = await k('get', 'certs', '--field-selector', 'spec.issuerRef.name=internal-ca', '-o', 'name');
    expect(selected.stdout.trim()).toBe('certificate.certs.example.com/legacy');
  });

  it('serves each version converted by the webhook', async () => {
    reviews.length = 0;
    const asAlpha = JSON.parse((await k('get', 'certificates.v1alpha1.certs.example.com', 'web', '-o', 'json')).stdout);
    expect(asAlpha).toMatchObject({ apiVersion: 'certs.example.com/v1alpha1', spec: { secret: 'web-tls', issuer: 'letsencrypt', dnsNames: ['web.example.com'] } });
    expect(reviews).toHaveLength(1);
    expect(reviews[0].request.desiredAPIVersion).toBe('certs.example.com/v1alpha1');
    const legacyAsV1 = JSON.parse((await k('get', 'certificates.v1.certs.example.com', 'legacy', '-o', 'json')).stdout);
    // Stored as v1 when it was created through v1alpha1, with the v1 schema's defaults (kube defaults in the storage version).
    expect(legacyAsV1.spec).toMatchObject({ secretName: 'legacy-tls', issuerRef: { name: 'internal-ca', kind: 'Issuer' }, replicas: 1, isCA: false });
  });

  it('explains the custom kind from its published schema', async () => {
    const explain = await k('explain', 'certificate.spec.issuerRef');
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain('FIELD: issuerRef <Object>');
    expect(explain.stdout).toContain('The issuer that signs this certificate.');
    expect(explain.stdout).toMatch(/name\s+<string> -required-/);
  });

  it('scales and patches status through the subresources', async () => {
    expect((await k('scale', 'certificate', 'web', '--replicas=3')).stdout.trim()).toBe('certificate.certs.example.com/web scaled');
    const status = JSON.stringify({ status: { replicas: 3, selector: 'app=web', conditions: [{ type: 'Ready', status: 'True', reason: 'Issued', lastTransitionTime: '2026-11-23T00:00:00Z' }] } });
    expect((await k('patch', 'certificate', 'web', '--subresource=status', '--type=merge', '-p', status)).code).toBe(0);
    expect((await k('get', 'certificate', 'web')).stdout).toMatch(/\nweb\s+True\s+web-tls\s+\d+s\n/);
    const scale = (await session.server.request('GET', '/apis/certs.example.com/v1/namespaces/default/certificates/web/scale')).json();
    expect(scale).toMatchObject({ spec: { replicas: 3 }, status: { replicas: 3, selector: 'app=web' } });
    const immutable = await k('patch', 'certificate', 'web', '--type=merge', '-p', '{"spec":{"secretName":"other"}}');
    expect(immutable.stderr).toContain('spec.secretName: Invalid value: "string": secretName is immutable');
  });

  it('deletes the CRD and watches its objects go', async () => {
    const watch = session.server.request('GET', '/apis/certs.example.com/v1/namespaces/default/certificates?watch=true&timeoutSeconds=5');
    await new Promise((r) => setTimeout(r, 200));
    expect((await k('delete', 'crd', 'certificates.certs.example.com', '--wait', '--timeout=30s')).stdout.trim()).toBe('customresourcedefinition.apiextensions.k8s.io "certificates.certs.example.com" deleted');
    const events = (await watch).text.trim().split('\n').map((l) => JSON.parse(l));
    const deleted = events.filter((e) => e.type === 'DELETED').map((e) => e.object.metadata.name).sort();
    expect(deleted).toEqual(['legacy', 'web']);
    const gone = await k('get', 'certificates');
    // kubectl still has the resource in its discovery cache, so it asks and gets kube's 404.
    expect(gone.stderr).toContain('Error from server (NotFound): Unable to list "certs.example.com/v1, Resource=certificates": the server could not find the requested resource');
  });
});
