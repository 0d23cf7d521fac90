// How a Kubernetes Go type is read from protobuf and written as JSON: one descriptor per Go struct,
// its fields in the struct's declaration order (the order Go's encoding/json writes them), each with
// its protobuf field number (generated.proto) and its JSON tag (types.go).

/** Scalars as go-to-protobuf maps them: Go string kinds, bool, int32, int64 and []byte. */
export type ScalarKind = 'string' | 'bool' | 'int32' | 'int64' | 'bytes';

export type FieldType =
  | { kind: 'scalar'; scalar: ScalarKind }
  | { kind: 'message'; message: () => MessageDescriptor }
  /** metav1.Time: seconds only, RFC3339 in JSON, null when zero. */
  | { kind: 'time' }
  /** metav1.MicroTime: microseconds, RFC3339 with six fraction digits, null when zero. */
  | { kind: 'microTime' }
  /** metav1.FieldsV1: its raw bytes are JSON text, written as they are. */
  | { kind: 'fieldsV1' }
  /**
   * map[string]string or map[string][]byte: Go writes the keys sorted. 'stringList' is a
   * map[string]ExtraValue (authentication's and authorization's user extras): each value a message
   * of repeated strings (field 1), written in JSON as a plain array.
   */
  | { kind: 'map'; value: MapValueKind }
  /** intstr.IntOrString {type, intVal, strVal}: a JSON number or string by its type. */
  | { kind: 'intOrString' }
  /** resource.Quantity: a message of one string (`string = 1`), a JSON string. */
  | { kind: 'quantity' };

/** 'quantity': map[ResourceName]resource.Quantity (a ResourceList). */
export type MapValueKind = 'string' | 'bytes' | 'stringList' | 'quantity';

/**
 * How Go's encoding/json treats the field:
 * - `omitempty`: a value field with `,omitempty` — left out when zero. On a struct (message, Time)
 *   omitempty has no effect in Go, so such a field is always written, as `always`.
 * - `always`: a value field without omitempty — written even when zero (`""`, `0`, `null`, `{}`).
 * - `pointer`: a pointer field (`*T`, always omitempty in kube): written exactly when it was sent.
 * - `omitzero`: `,omitzero` (ObjectMeta.creationTimestamp): left out when zero.
 */
export type Presence = 'omitempty' | 'always' | 'pointer' | 'omitzero';

export interface FieldDescriptor {
  number: number;
  json: string;
  /** The Go field name for decode error texts, when it is not the JSON name capitalized. */
  go?: string;
  type: FieldType;
  repeated?: boolean;
  /** An embedded struct (`json:",inline"` or `json:""`): its fields are written in the parent's JSON. */
  inline?: boolean;
  presence: Presence;
}

export interface MessageDescriptor {
  /** The Go type name, as the generated Unmarshal methods name it in errors. */
  name: string;
  fields: readonly FieldDescriptor[];
}

export const str = (number: number, json: string, presence: Presence = 'omitempty', go?: string): FieldDescriptor => ({
  number,
  json,
  go,
  type: { kind: 'scalar', scalar: 'string' },
  presence,
});

export const scalar = (number: number, json: string, kind: ScalarKind, presence: Presence = 'omitempty', go?: string): FieldDescriptor => ({
  number,
  json,
  go,
  type: { kind: 'scalar', scalar: kind },
  presence,
});

export const message = (number: number, json: string, descriptor: () => MessageDescriptor, presence: Presence = 'omitempty', go?: string): FieldDescriptor => ({
  number,
  json,
  go,
  type: { kind: 'message', message: descriptor },
  presence,
});

export const repeatedOf = (field: FieldDescriptor): FieldDescriptor => ({ ...field, repeated: true });

export const time = (number: number, json: string, presence: Presence = 'omitempty', go?: string): FieldDescriptor => ({
  number,
  json,
  go,
  type: { kind: 'time' },
  presence,
});

export const microTime = (number: number, json: string, presence: Presence = 'omitempty', go?: string): FieldDescriptor => ({
  number,
  json,
  go,
  type: { kind: 'microTime' },
  presence,
});

export const map = (number: number, json: string, value: MapValueKind, go?: string): FieldDescriptor => ({
  number,
  json,
  go,
  type: { kind: 'map', value },
  presence: 'omitempty',
});

export function goFieldName(field: FieldDescriptor): string {
  return field.go ?? field.json.charAt(0).toUpperCase() + field.json.slice(1);
}
