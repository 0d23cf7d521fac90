import { describe, expect, it } from 'vitest';
import { OpenAPIRegistry } from '../../src/aggregator/openapi/index.js';
import { ProtoWriter } from '../../src/aggregator/openapi/protobuf-writer.js';
import { swaggerV2ToProtobuf } from '../../src/aggregator/openapi/swagger-v2-protobuf.js';
import { configmaps, leases, serve } from './discovery-support.js';

interface Field {
  field: number;
  wire: number;
  value: bigint | Buffer;
}

/** Decodes one level of a protobuf message. */
function decode(buf: Buffer): Field[] {
  const fields: Field[] = [];
  let i = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = buf[i++];
      result |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return result;
      shift += 7n;
    }
  };
  while (i < buf.length) {
    const key = Number(varint());
    const field = key >> 3;
    const wire = key & 7;
    if (wire === 0) fields.push({ field, wire, value: varint() });
    else if (wire === 1) {
      fields.push({ field, wire, value: buf.subarray(i, i + 8) });
      i += 8;
    } else if (wire === 2) {
      const len = Number(varint());
      fields.push({ field, wire, value: buf.subarray(i, i + len) });
      i += len;
    } else throw new Error(`wire type ${wire}`);
  }
  return fields;
}

const str = (f: Field) => (f.value as Buffer).toString('utf8');
const sub = (fields: Field[], n: number) => fields.filter((f) => f.field === n).map((f) => decode(f.value as Buffer));

describe('protobuf writer', () => {
  it('encodes varints, strings, bools, doubles and nested messages as proto3 does', () => {
    const w = new ProtoWriter().string(1, 'hi').bool(2, true).bool(3, false).int64(4, 300).double(5, 1.5).string(6, '').message(7, (m) => m.string(1, 'x'));
    expect(w.finish().toString('hex')).toBe('0a0268691001' + '20ac02' + '29000000000000f83f' + '3a030a0178');
    expect(new ProtoWriter().oneofBool(2, false).finish().toString('hex')).toBe('1000');
  });
});

describe('/openapi/v2 as gnostic protocol buffers', () => {
  const registry = new OpenAPIRegistry();
  registry.addGroupVersion({ group: '', version: 'v1', resources: [configmaps] });
  registry.addGroupVersion({ group: 'coordination.k8s.io', version: 'v1', resources: [leases] });

  it('has swagger 2.0, info, paths with operations and definitions with vendor extensions as YAML', () => {
    const doc = decode(registry.swaggerProtobuf().body);
    expect(str(doc.find((f) => f.field === 1)!)).toBe('2.0');
    const info = sub(doc, 2)[0];
    expect(str(info.find((f) => f.field === 1)!)).toBe('Kubernetes');
    const paths = sub(sub(doc, 8)[0], 2).map((named) => str(named.find((f) => f.field === 1)!));
    expect(paths).toContain('/api/v1/namespaces/{namespace}/configmaps/{name}');
    const definitions = sub(sub(doc, 9)[0], 1);
    const configMap = definitions.find((named) => str(named.find((f) => f.field === 1)!) === 'io.k8s.api.core.v1.ConfigMap')!;
    const schema = decode(configMap.find((f) => f.field === 2)!.value as Buffer);
    expect(str(schema.find((f) => f.field === 4)!)).toMatch(/configuration data/);
    const extension = sub(schema, 31)[0];
    expect(str(extension.find((f) => f.field === 1)!)).toBe('x-kubernetes-group-version-kind');
    const yaml = str(sub(extension, 2)[0].find((f) => f.field === 2)!);
    expect(yaml).toBe("- group: ''\n  kind: ConfigMap\n  version: v1\n");
  });

  it('encodes body and query parameters in their oneof branches', () => {
    const json = registry.swagger().object as Record<string, any>;
    const patch = json.paths['/api/v1/namespaces/{namespace}/configmaps/{name}'].patch;
    const op = decode(swaggerV2ToProtobuf({ swagger: '2.0', paths: { '/x': { patch } } }));
    const item = sub(sub(sub(op, 8)[0], 2)[0], 2)[0];
    const operation = sub(item, 8)[0];
    expect(str(operation.find((f) => f.field === 5)!)).toBe('patchCoreV1NamespacedConfigMap');
    const params = sub(operation, 8).map((p) => sub(p, 1)[0]);
    const body = sub(params[0], 1)[0];
    expect(str(body.find((f) => f.field === 3)!)).toBe('body');
    const query = params.map((p) => sub(p, 2)[0]).filter(Boolean).map((nb) => sub(nb, 3)[0]).filter(Boolean);
    expect(query.map((q) => str(q.find((f) => f.field === 4)!))).toContain('fieldValidation');
  });

  it('is served for kubectl\'s Accept with its content type and the JSON ETag', async () => {
    const { openapiMux } = await import('../../src/aggregator/openapi/index.js');
    const mux = openapiMux(registry);
    const server = await serve((ctx, next) => (mux.owns(ctx.path) ? mux.handle(ctx, next) : next()));
    try {
      const pb = await fetch(`${server.url}/openapi/v2`, { headers: { Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' } });
      expect(pb.status).toBe(200);
      expect(pb.headers.get('content-type')).toBe('application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
      const bytes = Buffer.from(await pb.arrayBuffer());
      expect(bytes.equals(registry.swaggerProtobuf().body)).toBe(true);
      const json = await server.get('/openapi/v2', { Accept: 'application/json' });
      expect(pb.headers.get('etag')).toBe(json.headers.get('etag'));
      expect((await server.get('/openapi/v2', { Accept: 'text/html' })).status).toBe(406);
    } finally {
      await server.close();
    }
  });
});
