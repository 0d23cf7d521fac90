// /openapi/v2 in protocol buffers, the form kubectl asks for (gnostic's openapi_v2.Document,
// github.com/google/gnostic-models/openapiv2/OpenAPIv2.proto), as kube-openapi produces it from the JSON
// document (ToProtoBinary). Vendor extensions and free-form values (default, enum, example) travel as
// YAML text in Any.yaml, which is how readers (kube-openapi's proto package) decode them.
import { dump } from 'js-yaml';
import { ProtoWriter } from './protobuf-writer.js';

type Json = Record<string, unknown>;

function yamlOf(value: unknown): string {
  return dump(value, { lineWidth: -1, noRefs: true });
}

/** Any { yaml = 2 }. */
function any(w: ProtoWriter, value: unknown): void {
  w.string(2, yamlOf(value));
}

/** repeated NamedAny vendor_extension: the "x-" keys of an object, in order. */
function vendorExtensions(w: ProtoWriter, field: number, obj: Json): void {
  for (const [name, value] of Object.entries(obj)) {
    if (!name.startsWith('x-')) continue;
    w.message(field, (e) => {
      e.string(1, name);
      e.message(2, (a) => any(a, value));
    });
  }
}

function schema(w: ProtoWriter, s: Json): void {
  w.string(1, s.$ref as string | undefined);
  w.string(2, s.format as string | undefined);
  w.string(3, s.title as string | undefined);
  w.string(4, s.description as string | undefined);
  if (s.default !== undefined) w.message(5, (a) => any(a, s.default));
  w.double(6, s.multipleOf as number | undefined);
  w.double(7, s.maximum as number | undefined);
  w.bool(8, s.exclusiveMaximum as boolean | undefined);
  w.double(9, s.minimum as number | undefined);
  w.bool(10, s.exclusiveMinimum as boolean | undefined);
  w.int64(11, s.maxLength as number | undefined);
  w.int64(12, s.minLength as number | undefined);
  w.string(13, s.pattern as string | undefined);
  w.int64(14, s.maxItems as number | undefined);
  w.int64(15, s.minItems as number | undefined);
  w.bool(16, s.uniqueItems as boolean | undefined);
  w.int64(17, s.maxProperties as number | undefined);
  w.int64(18, s.minProperties as number | undefined);
  w.strings(19, s.required as string[] | undefined);
  for (const value of (s.enum as unknown[] | undefined) ?? []) w.message(20, (a) => any(a, value));
  const additional = s.additionalProperties;
  if (typeof additional === 'boolean') w.message(21, (ap) => ap.oneofBool(2, additional));
  else if (additional && typeof additional === 'object') w.message(21, (ap) => ap.message(1, (inner) => schema(inner, additional as Json)));
  if (s.type !== undefined) w.message(22, (t) => t.strings(1, Array.isArray(s.type) ? (s.type as string[]) : [s.type as string]));
  if (s.items !== undefined) {
    const items = Array.isArray(s.items) ? (s.items as Json[]) : [s.items as Json];
    w.message(23, (it) => items.forEach((item) => it.message(1, (inner) => schema(inner, item))));
  }
  for (const part of (s.allOf as Json[] | undefined) ?? []) w.message(24, (inner) => schema(inner, part));
  if (s.properties) {
    w.message(25, (p) => {
      for (const [name, prop] of Object.entries(s.properties as Record<string, Json>)) {
        p.message(1, (named) => {
          named.string(1, name);
          named.message(2, (inner) => schema(inner, prop));
        });
      }
    });
  }
  w.string(26, s.discriminator as string | undefined);
  w.bool(27, s.readOnly as boolean | undefined);
  if (s.example !== undefined) w.message(30, (a) => any(a, s.example));
  vendorExtensions(w, 31, s);
}

function parameter(w: ProtoWriter, p: Json): void {
  // ParametersItem { Parameter parameter = 1 }
  w.message(1, (param) => {
    if (p.in === 'body') {
      param.message(1, (b) => {
        b.string(1, p.description as string | undefined);
        b.string(2, p.name as string);
        b.string(3, 'body');
        b.bool(4, p.required as boolean | undefined);
        if (p.schema) b.message(5, (inner) => schema(inner, p.schema as Json));
        vendorExtensions(b, 6, p);
      });
      return;
    }
    param.message(2, (nonBody) => {
      if (p.in === 'path') {
        nonBody.message(4, (s) => {
          s.bool(1, p.required as boolean | undefined);
          s.string(2, 'path');
          s.string(3, p.description as string | undefined);
          s.string(4, p.name as string);
          s.string(5, p.type as string | undefined);
          s.bool(19, p.uniqueItems as boolean | undefined);
          vendorExtensions(s, 22, p);
        });
      } else {
        nonBody.message(3, (s) => {
          s.bool(1, p.required as boolean | undefined);
          s.string(2, 'query');
          s.string(3, p.description as string | undefined);
          s.string(4, p.name as string);
          s.string(6, p.type as string | undefined);
          s.bool(20, p.uniqueItems as boolean | undefined);
          vendorExtensions(s, 23, p);
        });
      }
    });
  });
}

function operation(w: ProtoWriter, op: Json): void {
  w.strings(1, op.tags as string[] | undefined);
  w.string(2, op.summary as string | undefined);
  w.string(3, op.description as string | undefined);
  w.string(5, op.operationId as string | undefined);
  w.strings(6, op.produces as string[] | undefined);
  w.strings(7, op.consumes as string[] | undefined);
  for (const p of (op.parameters as Json[] | undefined) ?? []) w.message(8, (item) => parameter(item, p));
  w.message(9, (responses) => {
    for (const [code, response] of Object.entries((op.responses as Record<string, Json>) ?? {})) {
      responses.message(1, (named) => {
        named.string(1, code);
        named.message(2, (value) =>
          value.message(1, (r) => {
            r.string(1, response.description as string | undefined);
            if (response.schema) r.message(2, (item) => item.message(1, (inner) => schema(inner, response.schema as Json)));
            vendorExtensions(r, 5, response);
          }),
        );
      });
    }
  });
  w.strings(10, op.schemes as string[] | undefined);
  w.bool(11, op.deprecated as boolean | undefined);
  vendorExtensions(w, 13, op);
}

const METHOD_FIELDS: Record<string, number> = { get: 2, put: 3, post: 4, delete: 5, options: 6, head: 7, patch: 8 };

export function swaggerV2ToProtobuf(doc: Json): Buffer {
  const w = new ProtoWriter();
  w.string(1, doc.swagger as string);
  const info = doc.info as Json | undefined;
  if (info) w.message(2, (i) => i.string(1, info.title as string).string(2, info.version as string).string(3, info.description as string | undefined));
  w.strings(5, doc.schemes as string[] | undefined);
  w.strings(6, doc.consumes as string[] | undefined);
  w.strings(7, doc.produces as string[] | undefined);
  w.message(8, (paths) => {
    for (const [path, item] of Object.entries((doc.paths as Record<string, Json>) ?? {})) {
      paths.message(2, (named) => {
        named.string(1, path);
        named.message(2, (pi) => {
          for (const [method, field] of Object.entries(METHOD_FIELDS)) if (item[method]) pi.message(field, (op) => operation(op, item[method] as Json));
          for (const p of (item.parameters as Json[] | undefined) ?? []) pi.message(9, (pw) => parameter(pw, p));
          vendorExtensions(pi, 10, item);
        });
      });
    }
  });
  w.message(9, (defs) => {
    for (const [name, s] of Object.entries((doc.definitions as Record<string, Json>) ?? {})) {
      defs.message(1, (named) => {
        named.string(1, name);
        named.message(2, (inner) => schema(inner, s));
      });
    }
  });
  for (const requirement of (doc.security as Array<Record<string, string[]>> | undefined) ?? []) {
    w.message(12, (req) => {
      for (const [name, scopes] of Object.entries(requirement)) {
        req.message(1, (named) => {
          named.string(1, name);
          named.message(2, (arr) => arr.strings(1, scopes));
        });
      }
    });
  }
  const securityDefinitions = doc.securityDefinitions as Record<string, Json> | undefined;
  if (securityDefinitions) {
    w.message(13, (defs) => {
      for (const [name, def] of Object.entries(securityDefinitions)) {
        defs.message(1, (named) => {
          named.string(1, name);
          named.message(2, (item) => {
            if (def.type === 'basic') item.message(1, (b) => b.string(1, 'basic').string(2, def.description as string | undefined));
            else item.message(2, (k) => k.string(1, def.type as string).string(2, def.name as string).string(3, def.in as string).string(4, def.description as string | undefined));
          });
        });
      }
    });
  }
  vendorExtensions(w, 16, doc);
  return w.finish();
}
