// Response negotiation, pinned to k8s.io/apiserver/pkg/endpoints/handlers/negotiation/negotiate.go
// (v0.32.1), RequestScope.AllowsMediaTypeTransform (handlers/rest.go) and goautoneg.ParseAccept.
import { describe, expect, it } from 'vitest';
import {
  isPrettyPrint,
  negotiateOutputMediaType,
  negotiateOutputMediaTypeStream,
  parseAccept,
  wantsPretty,
  watchContentType,
} from '../../src/endpoints/negotiation/accept.js';
import { thrownStatus as statusOf } from '../support/errors.js';

const withTable = { tableSupported: true };
const noTable = { tableSupported: false };

describe('parseAccept (goautoneg)', () => {
  it('sorts by q, keeps header order among equals, and puts wildcards after concrete types', () => {
    const clauses = parseAccept('*/*;q=0.8, application/yaml;q=0.9, text/*, application/json');
    expect(clauses.map((c) => `${c.type}/${c.subType}`)).toEqual(['application/json', 'text/*', 'application/yaml', '*/*']);
  });

  it('reads parameters, trims them, and treats a bad q as 0', () => {
    const [clause] = parseAccept('application/json; as=Table ;g=meta.k8s.io;v=v1;q=abc');
    expect(clause.params).toEqual({ as: 'Table', g: 'meta.k8s.io', v: 'v1' });
    expect(clause.q).toBe(0);
  });

  it('accepts a bare * as */* and drops malformed ranges', () => {
    expect(parseAccept('*, a/b/c, json').map((c) => `${c.type}/${c.subType}`)).toEqual(['*/*']);
  });
});

describe('negotiateOutputMediaType', () => {
  it('serves JSON for an empty Accept, */*, application/* and application/json', () => {
    for (const accept of [undefined, '', '*/*', 'application/*', 'application/json', 'application/json;charset=utf-8']) {
      expect(negotiateOutputMediaType(accept, noTable).serializer.mediaType).toBe('application/json');
    }
  });

  it('serves YAML for application/yaml', () => {
    expect(negotiateOutputMediaType('application/yaml', noTable).serializer.mediaType).toBe('application/yaml');
  });

  it("falls through kubectl's protobuf-first Accept list to the JSON Table", () => {
    const accept = 'application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
    const options = negotiateOutputMediaType(accept, withTable);
    expect(options.serializer.mediaType).toBe('application/json');
    expect(options.convert).toEqual({ kind: 'Table', group: 'meta.k8s.io', version: 'v1' });
  });

  it('falls through protobuf alone followed by JSON (client-go with protobuf content type)', () => {
    const options = negotiateOutputMediaType('application/vnd.kubernetes.protobuf, application/json', noTable);
    expect(options.serializer.mediaType).toBe('application/json');
    expect(options.convert).toBeUndefined();
  });

  it('accepts Table in meta.k8s.io v1 and v1beta1, as JSON or YAML', () => {
    expect(negotiateOutputMediaType('application/json;as=Table;g=meta.k8s.io;v=v1beta1', withTable).convert?.version).toBe('v1beta1');
    const yaml = negotiateOutputMediaType('application/yaml;as=Table;g=meta.k8s.io;v=v1', withTable);
    expect(yaml.serializer.mediaType).toBe('application/yaml');
    expect(yaml.convert?.kind).toBe('Table');
  });

  it('skips a Table clause when the resource has no table convertor, then uses the next clause', () => {
    const options = negotiateOutputMediaType('application/json;as=Table;g=meta.k8s.io;v=v1, application/json', noTable);
    expect(options.convert).toBeUndefined();
  });

  it('skips a Table in another group or without g/v', () => {
    expect(negotiateOutputMediaType('application/json;as=Table;g=example.com;v=v1, application/yaml', withTable).serializer.mediaType).toBe('application/yaml');
    expect(negotiateOutputMediaType('application/json;as=Table, application/yaml', withTable).convert).toBeUndefined();
  });

  it('accepts PartialObjectMetadata and PartialObjectMetadataList (v1 and v1beta1) whatever the table support', () => {
    for (const kind of ['PartialObjectMetadata', 'PartialObjectMetadataList']) {
      for (const version of ['v1', 'v1beta1']) {
        const options = negotiateOutputMediaType(`application/json;as=${kind};g=meta.k8s.io;v=${version}`, noTable);
        expect(options.convert).toEqual({ kind, group: 'meta.k8s.io', version });
      }
    }
  });

  it('reads pretty=1 from the media type and keeps unknown parameters aside', () => {
    const options = negotiateOutputMediaType('application/json;pretty=1;foo=bar', noTable);
    expect(options.pretty).toBe(true);
    expect(options.unrecognized).toEqual(['foo']);
  });

  it('answers 406 NotAcceptable listing the media types when nothing matches', () => {
    const err = statusOf(() => negotiateOutputMediaType('text/html', noTable));
    expect(err.status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'only the following media types are accepted: application/json, application/yaml',
      reason: 'NotAcceptable',
      code: 406,
    });
  });

  it('answers 406 for protobuf alone (not served by kube-chain)', () => {
    expect(statusOf(() => negotiateOutputMediaType('application/vnd.kubernetes.protobuf', noTable)).code).toBe(406);
  });

  it('answers 406 for a Table-only Accept on a resource without tables', () => {
    expect(statusOf(() => negotiateOutputMediaType('application/json;as=Table;g=meta.k8s.io;v=v1', noTable)).code).toBe(406);
  });
});

describe('negotiateOutputMediaTypeStream (watch)', () => {
  it('serves JSON watches, with stream=watch or without', () => {
    expect(negotiateOutputMediaTypeStream('application/json;stream=watch', noTable).serializer.mediaType).toBe('application/json');
    expect(negotiateOutputMediaTypeStream(undefined, noTable).serializer.mediaType).toBe('application/json');
  });

  it('refuses YAML watches with the stream media types in the message', () => {
    const err = statusOf(() => negotiateOutputMediaTypeStream('application/yaml', noTable));
    expect(err.status.message).toBe('only the following media types are accepted: application/json;stream=watch');
    expect(err.status.reason).toBe('NotAcceptable');
  });

  it('skips a clause with an unknown stream schema', () => {
    expect(statusOf(() => negotiateOutputMediaTypeStream('application/json;stream=other', noTable)).code).toBe(406);
  });

  it('writes application/json as the Content-Type of a JSON watch (handlers/watch.go)', () => {
    expect(watchContentType(negotiateOutputMediaTypeStream('application/json;stream=watch', noTable).serializer)).toBe('application/json');
  });
});

describe('isPrettyPrint', () => {
  it('follows a non-empty pretty query parameter with strconv.ParseBool, a bad value being false', () => {
    expect(isPrettyPrint('true', 'kubectl/v1.32')).toBe(true);
    expect(isPrettyPrint('1', undefined)).toBe(true);
    expect(isPrettyPrint('false', 'curl/8.0')).toBe(false);
    expect(isPrettyPrint('yes', 'curl/8.0')).toBe(false);
  });

  it('indents for curl, Wget and browsers when pretty is absent or empty', () => {
    expect(isPrettyPrint(undefined, 'curl/8.4.0')).toBe(true);
    expect(isPrettyPrint('', 'Wget/1.21')).toBe(true);
    expect(isPrettyPrint(undefined, 'Mozilla/5.0 (X11)')).toBe(true);
    expect(isPrettyPrint(undefined, 'kubectl/v1.32.0 (linux/amd64)')).toBe(false);
  });

  it('combines with pretty=1 in the media type', () => {
    const options = negotiateOutputMediaType('application/json;pretty=1', noTable);
    expect(wantsPretty(options, undefined, 'kubectl')).toBe(true);
  });
});
