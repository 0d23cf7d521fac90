// ObjectMeta validation against kube-apiserver 1.32's own answers: every expected error list below
// is what k8s.io/apimachinery v0.32 (api/validation ValidateObjectMeta / ValidateObjectMetaUpdate,
// meta/v1/validation ValidateLabelSelector) returned for the same JSON, decoded into metav1 types.
// Two things differ by nature: kube walks label and annotation maps in random order (we keep the
// object's order; the create table compares errors as sets), and %#v prints pointers as
// addresses that change every run (we print 0xc000000000).
import { describe, expect, it } from 'vitest';
import type { FieldError } from '../../src/endpoints/status.js';
import { validateObjectMeta, validateObjectMetaUpdate, type ObjectMetaLike } from '../../src/registry/validation/object-meta.js';
import { validateLabelSelector } from '../../src/registry/validation/label-selector.js';
import type { MetaLabelSelector } from '../../src/registry/selectors/label-selector.js';
import { nameIsDNSLabel, nameIsDNSSubdomain, validatePathSegmentName, type NameValidator } from '../../src/registry/validation/names.js';

const LABEL_RULE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const LABEL_VALUE_RULE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const QUALIFIED_NAME_RULE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const SUBDOMAIN_RULE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

const NAME_FNS: Record<string, NameValidator> = { sub: nameIsDNSSubdomain, label: nameIsDNSLabel, path: validatePathSegmentName };

/** Kube's order within one map walk is random: compare as sets where a map is walked. */
const sorted = (errors: FieldError[]) => [...errors].sort((a, b) => (a.field + a.detail < b.field + b.detail ? -1 : 1));

/** [metadata, namespaced, name rule, kube's errors]. */
const CREATES: Array<[ObjectMetaLike, boolean, string, FieldError[]]> = [
  [{"name": "ok"}, false, "sub", []],
  [{"name": "ok", "namespace": "default"}, true, "sub", []],
  [{"name": "ok"}, true, "sub", [{ type: "FieldValueRequired", field: "metadata.namespace", detail: "Required value" }]],
  [{"name": "ok", "namespace": "ns"}, false, "sub", [{ type: "FieldValueForbidden", field: "metadata.namespace", detail: "Forbidden: not allowed on this type" }]],
  [{}, false, "sub", [{ type: "FieldValueRequired", field: "metadata.name", detail: "Required value: name or generateName is required" }]],
  [{"generateName": "Foo_"}, false, "sub", [{ type: "FieldValueInvalid", field: "metadata.generateName", detail: `Invalid value: "Foo_": ${SUBDOMAIN_RULE}` }, { type: "FieldValueRequired", field: "metadata.name", detail: "Required value: name or generateName is required" }]],
  [{"generateName": "foo-", "name": "foo-abcde"}, false, "sub", []],
  [{"generateName": "x_-", "name": "x"}, false, "sub", []],
  [{"generateName": "ab-", "name": "ab"}, false, "label", []],
  [{"name": "Foo_Bar"}, false, "sub", [{ type: "FieldValueInvalid", field: "metadata.name", detail: `Invalid value: "Foo_Bar": ${SUBDOMAIN_RULE}` }]],
  [{"name": "a.b"}, false, "label", [{ type: "FieldValueInvalid", field: "metadata.name", detail: "Invalid value: \"a.b\": must not contain dots" }]],
  [{"name": "a.b", "namespace": "Bad_NS"}, true, "label", [{ type: "FieldValueInvalid", field: "metadata.name", detail: "Invalid value: \"a.b\": must not contain dots" }, { type: "FieldValueInvalid", field: "metadata.namespace", detail: `Invalid value: "Bad_NS": ${LABEL_RULE}` }]],
  [{"name": "a/b"}, false, "path", [{ type: "FieldValueInvalid", field: "metadata.name", detail: "Invalid value: \"a/b\": may not contain '/'" }]],
  [{"name": ".."}, false, "path", [{ type: "FieldValueInvalid", field: "metadata.name", detail: "Invalid value: \"..\": may not be '..'" }]],
  [{"name": "a%/b"}, false, "path", [{ type: "FieldValueInvalid", field: "metadata.name", detail: "Invalid value: \"a%/b\": may not contain '/'" }, { type: "FieldValueInvalid", field: "metadata.name", detail: "Invalid value: \"a%/b\": may not contain '%'" }]],
  [{"name": "ok", "generation": -1}, false, "sub", [{ type: "FieldValueInvalid", field: "metadata.generation", detail: "Invalid value: -1: must be greater than or equal to 0" }]],
  [{"name": "ok", "labels": {"-a": "b", "c": "-d", "e": "f"}}, false, "sub", [{ type: "FieldValueInvalid", field: "metadata.labels", detail: `Invalid value: "-d": ${LABEL_VALUE_RULE}` }, { type: "FieldValueInvalid", field: "metadata.labels", detail: `Invalid value: "-a": name part ${QUALIFIED_NAME_RULE}` }]],
  [{"name": "ok", "labels": {"a/b/c": "x"}}, false, "sub", [{ type: "FieldValueInvalid", field: "metadata.labels", detail: `Invalid value: "a/b/c": a qualified name ${QUALIFIED_NAME_RULE} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')` }]],
  [{"name": "ok", "annotations": {"Example.COM/Foo": "x", "bad key": "y", "a/b/c": "z"}}, false, "sub", [{ type: "FieldValueInvalid", field: "metadata.annotations", detail: `Invalid value: "bad key": name part ${QUALIFIED_NAME_RULE}` }, { type: "FieldValueInvalid", field: "metadata.annotations", detail: `Invalid value: "a/b/c": a qualified name ${QUALIFIED_NAME_RULE} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')` }]],
  [{"name": "ok", "annotations": {"big": 'x'.repeat(262144)}}, false, "sub", [{ type: "FieldValueTooLong", field: "metadata.annotations", detail: "Too long: may not be more than 262144 bytes" }]],
  [{"name": "ok", "annotations": {"big": 'x'.repeat(262141)}}, false, "sub", []],
  [{"name": "ok", "finalizers": ["example.com/f", "bad finalizer", "orphan", "foregroundDeletion", "a/b/c"]}, false, "sub", [{ type: "FieldValueInvalid", field: "metadata.finalizers", detail: `Invalid value: "bad finalizer": name part ${QUALIFIED_NAME_RULE}` }, { type: "FieldValueInvalid", field: "metadata.finalizers", detail: `Invalid value: "a/b/c": a qualified name ${QUALIFIED_NAME_RULE} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')` }, { type: "FieldValueInvalid", field: "metadata.finalizers", detail: "Invalid value: []string{\"example.com/f\", \"bad finalizer\", \"orphan\", \"foregroundDeletion\", \"a/b/c\"}: finalizer orphan and foregroundDeletion cannot be both set" }]],
  [{"name": "ok", "finalizers": ["kubernetes"]}, false, "sub", []],
  [{"name": "ok", "ownerReferences": [{"apiVersion": "", "kind": "", "name": "", "uid": ""}]}, false, "sub", [{ type: "FieldValueInvalid", field: "metadata.ownerReferences.apiVersion", detail: "Invalid value: \"\": version must not be empty" }, { type: "FieldValueInvalid", field: "metadata.ownerReferences.kind", detail: "Invalid value: \"\": kind must not be empty" }, { type: "FieldValueInvalid", field: "metadata.ownerReferences.name", detail: "Invalid value: \"\": name must not be empty" }, { type: "FieldValueInvalid", field: "metadata.ownerReferences.uid", detail: "Invalid value: \"\": uid must not be empty" }]],
  [{"name": "ok", "ownerReferences": [{"apiVersion": "a/b/c", "kind": "K", "name": "n", "uid": "u"}]}, false, "sub", [{ type: "FieldValueInvalid", field: "metadata.ownerReferences.apiVersion", detail: "Invalid value: \"a/b/c\": version must not be empty" }]],
  [{"name": "ok", "ownerReferences": [{"apiVersion": "apps/", "kind": "K", "name": "n", "uid": "u"}]}, false, "sub", [{ type: "FieldValueInvalid", field: "metadata.ownerReferences.apiVersion", detail: "Invalid value: \"apps/\": version must not be empty" }]],
  [{"name": "ok", "ownerReferences": [{"apiVersion": "/", "kind": "K", "name": "n", "uid": "u"}]}, false, "sub", [{ type: "FieldValueInvalid", field: "metadata.ownerReferences.apiVersion", detail: "Invalid value: \"/\": version must not be empty" }]],
  [{"name": "ok", "ownerReferences": [{"apiVersion": "v1", "kind": "Event", "name": "n", "uid": "u"}]}, false, "sub", [{ type: "FieldValueInvalid", field: "metadata.ownerReferences", detail: "Invalid value: v1.OwnerReference{APIVersion:\"v1\", Kind:\"Event\", Name:\"n\", UID:\"u\", Controller:(*bool)(nil), BlockOwnerDeletion:(*bool)(nil)}: /v1, Kind=Event is disallowed from being an owner" }]],
  [{"name": "ok", "ownerReferences": [{"apiVersion": "v1", "kind": "A", "name": "a", "uid": "1", "controller": true}, {"apiVersion": "v1", "kind": "B", "name": "b", "uid": "2", "controller": false}, {"apiVersion": "v1", "kind": "C", "name": "c", "uid": "3", "controller": true}]}, false, "sub", [{ type: "FieldValueInvalid", field: "metadata.ownerReferences", detail: "Invalid value: []v1.OwnerReference{v1.OwnerReference{APIVersion:\"v1\", Kind:\"A\", Name:\"a\", UID:\"1\", Controller:(*bool)(0xc000000000), BlockOwnerDeletion:(*bool)(nil)}, v1.OwnerReference{APIVersion:\"v1\", Kind:\"B\", Name:\"b\", UID:\"2\", Controller:(*bool)(0xc000000000), BlockOwnerDeletion:(*bool)(nil)}, v1.OwnerReference{APIVersion:\"v1\", Kind:\"C\", Name:\"c\", UID:\"3\", Controller:(*bool)(0xc000000000), BlockOwnerDeletion:(*bool)(nil)}}: Only one reference can have Controller set to true. Found \"true\" in references for A/a and C/c" }]],
  [{"name": "ok", "managedFields": [{"manager": "m", "operation": "Update", "fieldsType": "FieldsV1"}, {"manager": "bad\u0007mgré ", "operation": "Patch", "fieldsType": "FieldsV2", "subresource": "sssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssss"}, {"manager": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "operation": "Apply"}]}, false, "sub", [{ type: "FieldValueInvalid", field: "metadata.managedFields[1].operation", detail: "Invalid value: \"Patch\": must be `Apply` or `Update`" }, { type: "FieldValueInvalid", field: "metadata.managedFields[1].fieldsType", detail: "Invalid value: \"FieldsV2\": must be `FieldsV1`" }, { type: "FieldValueInvalid", field: "metadata.managedFields[1].manager", detail: "Invalid value: \"bad\\amgré\\u2028\": invalid character U+0007 (at position 3)" }, { type: "FieldValueInvalid", field: "metadata.managedFields[1].manager", detail: "Invalid value: \"bad\\amgré\\u2028\": invalid character U+2028 (at position 9)" }, { type: "FieldValueTooLong", field: "metadata.managedFields[1].subresource", detail: "Too long: may not be more than 256 bytes" }, { type: "FieldValueTooLong", field: "metadata.managedFields[2].manager", detail: "Too long: may not be more than 128 bytes" }]],
];

/** [new metadata, old metadata, kube's errors]. */
const UPDATES: Array<[ObjectMetaLike, ObjectMetaLike, FieldError[]]> = [
  [{"name": "a", "namespace": "ns", "uid": "u1", "resourceVersion": "5", "generation": 2, "creationTimestamp": "2024-01-02T03:04:05Z"}, {"name": "a", "namespace": "ns", "uid": "u1", "resourceVersion": "5", "generation": 2, "creationTimestamp": "2024-01-02T03:04:05Z"}, []],
  [{"name": "a", "namespace": "ns", "uid": "u1", "resourceVersion": "", "generation": 2, "creationTimestamp": "2024-01-02T03:04:05Z"}, {"name": "a", "namespace": "ns", "uid": "u1", "resourceVersion": "5", "generation": 2, "creationTimestamp": "2024-01-02T03:04:05Z"}, [{ type: "FieldValueInvalid", field: "metadata.resourceVersion", detail: "Invalid value: \"\": must be specified for an update" }]],
  [{"name": "a", "namespace": "ns", "uid": "u1", "resourceVersion": "5", "generation": 1, "creationTimestamp": "2024-01-02T03:04:05Z"}, {"name": "a", "namespace": "ns", "uid": "u1", "resourceVersion": "5", "generation": 2, "creationTimestamp": "2024-01-02T03:04:05Z"}, [{ type: "FieldValueInvalid", field: "metadata.generation", detail: "Invalid value: 1: must not be decremented" }]],
  [{"name": "b", "namespace": "other", "uid": "u2", "resourceVersion": "5", "generation": 2, "creationTimestamp": "2024-01-02T03:04:05Z"}, {"name": "a", "namespace": "ns", "uid": "u1", "resourceVersion": "5", "generation": 2, "creationTimestamp": "2024-01-02T03:04:05Z"}, [{ type: "FieldValueInvalid", field: "metadata.name", detail: "Invalid value: \"b\": field is immutable" }, { type: "FieldValueInvalid", field: "metadata.namespace", detail: "Invalid value: \"other\": field is immutable" }, { type: "FieldValueInvalid", field: "metadata.uid", detail: "Invalid value: \"u2\": field is immutable" }]],
  [{"name": "a", "namespace": "ns", "resourceVersion": "5", "generation": 2, "creationTimestamp": "2024-01-02T03:04:05Z"}, {"name": "a", "namespace": "ns", "uid": "u1", "resourceVersion": "5", "generation": 2, "creationTimestamp": "2024-01-02T03:04:05Z"}, [{ type: "FieldValueInvalid", field: "metadata.uid", detail: "Invalid value: \"\": field is immutable" }]],
  [{"name": "a", "namespace": "ns", "uid": "u1", "resourceVersion": "5", "generation": 2, "creationTimestamp": "2024-01-02T03:04:06Z"}, {"name": "a", "namespace": "ns", "uid": "u1", "resourceVersion": "5", "generation": 2, "creationTimestamp": "2024-01-02T03:04:05Z"}, [{ type: "FieldValueInvalid", field: "metadata.creationTimestamp", detail: "Invalid value: 2024-01-02 03:04:06 +0000 UTC: field is immutable" }]],
  [{"name": "a", "namespace": "ns", "uid": "u1", "resourceVersion": "5", "generation": 2, "creationTimestamp": null}, {"name": "a", "namespace": "ns", "uid": "u1", "resourceVersion": "5", "generation": 2, "creationTimestamp": "2024-01-02T03:04:05Z"}, [{ type: "FieldValueInvalid", field: "metadata.creationTimestamp", detail: "Invalid value: 0001-01-01 00:00:00 +0000 UTC: field is immutable" }]],
  [{"name": "a", "namespace": "ns", "uid": "u1", "resourceVersion": "5", "generation": 2, "creationTimestamp": "2024-01-02T04:04:05+01:00"}, {"name": "a", "namespace": "ns", "uid": "u1", "resourceVersion": "5", "generation": 2, "creationTimestamp": "2024-01-02T03:04:05Z"}, []],
  [{"name": "a", "namespace": "ns", "uid": "u1", "resourceVersion": "5", "generation": 2, "creationTimestamp": "2024-01-02T03:04:05Z", "deletionTimestamp": "2025-05-06T07:08:09Z"}, {"name": "a", "namespace": "ns", "uid": "u1", "resourceVersion": "5", "generation": 2, "creationTimestamp": "2024-01-02T03:04:05Z"}, [{ type: "FieldValueInvalid", field: "metadata.deletionTimestamp", detail: "Invalid value: 2025-05-06 07:08:09 +0000 UTC: field is immutable" }]],
  [{"name": "a", "namespace": "ns", "uid": "u1", "resourceVersion": "5", "generation": 2, "creationTimestamp": "2024-01-02T03:04:05Z", "deletionTimestamp": "2025-05-06T07:08:09Z"}, {"name": "a", "namespace": "ns", "uid": "u1", "resourceVersion": "5", "generation": 2, "creationTimestamp": "2024-01-02T03:04:05Z", "deletionTimestamp": "2025-05-06T07:08:10Z"}, [{ type: "FieldValueInvalid", field: "metadata.deletionTimestamp", detail: "Invalid value: 2025-05-06 07:08:09 +0000 UTC: field is immutable" }]],
  [{"name": "a", "namespace": "ns", "uid": "u1", "resourceVersion": "5", "generation": 2, "creationTimestamp": "2024-01-02T03:04:05Z"}, {"name": "a", "namespace": "ns", "uid": "u1", "resourceVersion": "5", "generation": 2, "creationTimestamp": "2024-01-02T03:04:05Z", "deletionTimestamp": "2025-05-06T07:08:10Z"}, [{ type: "FieldValueInvalid", field: "metadata.deletionTimestamp", detail: "Invalid value: \"null\": field is immutable" }]],
  [{"name": "a", "namespace": "ns", "uid": "u1", "resourceVersion": "5", "generation": 2, "creationTimestamp": "2024-01-02T03:04:05Z", "deletionGracePeriodSeconds": 30}, {"name": "a", "namespace": "ns", "uid": "u1", "resourceVersion": "5", "generation": 2, "creationTimestamp": "2024-01-02T03:04:05Z"}, [{ type: "FieldValueInvalid", field: "metadata.deletionGracePeriodSeconds", detail: "Invalid value: 30: field is immutable" }]],
  [{"name": "a", "namespace": "ns", "uid": "u1", "resourceVersion": "5", "generation": 2, "creationTimestamp": "2024-01-02T03:04:05Z", "deletionGracePeriodSeconds": 30}, {"name": "a", "namespace": "ns", "uid": "u1", "resourceVersion": "5", "generation": 2, "creationTimestamp": "2024-01-02T03:04:05Z", "deletionGracePeriodSeconds": 0}, [{ type: "FieldValueInvalid", field: "metadata.deletionGracePeriodSeconds", detail: "Invalid value: 30: field is immutable" }]],
  [{"name": "a", "namespace": "ns", "uid": "u1", "resourceVersion": "5", "generation": 2, "creationTimestamp": "2024-01-02T03:04:05Z"}, {"name": "a", "namespace": "ns", "uid": "u1", "resourceVersion": "5", "generation": 2, "creationTimestamp": "2024-01-02T03:04:05Z", "deletionGracePeriodSeconds": 0}, [{ type: "FieldValueInvalid", field: "metadata.deletionGracePeriodSeconds", detail: "Invalid value: \"null\": field is immutable" }]],
  [{"name": "a", "namespace": "ns", "uid": "u1", "resourceVersion": "5", "generation": 2, "creationTimestamp": "2024-01-02T03:04:05Z", "finalizers": ["b", "a", "c"], "deletionTimestamp": "2025-05-06T07:08:09Z"}, {"name": "a", "namespace": "ns", "uid": "u1", "resourceVersion": "5", "generation": 2, "creationTimestamp": "2024-01-02T03:04:05Z", "deletionTimestamp": "2025-05-06T07:08:09Z", "finalizers": ["c"]}, [{ type: "FieldValueForbidden", field: "metadata.finalizers", detail: "Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{\"a\", \"b\"}" }]],
  [{"name": "a", "namespace": "ns", "uid": "u1", "resourceVersion": "5", "generation": 2, "creationTimestamp": "2024-01-02T03:04:05Z", "finalizers": ["bad finalizer"]}, {"name": "a", "namespace": "ns", "uid": "u1", "resourceVersion": "5", "generation": 2, "creationTimestamp": "2024-01-02T03:04:05Z"}, []],
  [{"name": "a", "namespace": "ns", "uid": "u1", "resourceVersion": "5", "generation": 2, "creationTimestamp": "2024-01-02T03:04:05Z", "labels": {"a": "-b"}, "annotations": {"-x": "y"}, "ownerReferences": [{"apiVersion": "v1", "kind": "", "name": "n", "uid": "u"}]}, {"name": "a", "namespace": "ns", "uid": "u1", "resourceVersion": "5", "generation": 2, "creationTimestamp": "2024-01-02T03:04:05Z"}, [{ type: "FieldValueInvalid", field: "metadata.labels", detail: `Invalid value: "-b": ${LABEL_VALUE_RULE}` }, { type: "FieldValueInvalid", field: "metadata.annotations", detail: `Invalid value: "-x": name part ${QUALIFIED_NAME_RULE}` }, { type: "FieldValueInvalid", field: "metadata.ownerReferences.kind", detail: "Invalid value: \"\": kind must not be empty" }]],
  [{"name": "z", "namespace": "ns", "uid": "u1", "resourceVersion": "", "generation": 0, "creationTimestamp": "2024-01-02T03:04:05Z"}, {"name": "a", "namespace": "ns", "uid": "u1", "resourceVersion": "5", "generation": 2, "creationTimestamp": "2024-01-02T03:04:05Z"}, [{ type: "FieldValueInvalid", field: "metadata.resourceVersion", detail: "Invalid value: \"\": must be specified for an update" }, { type: "FieldValueInvalid", field: "metadata.generation", detail: "Invalid value: 0: must not be decremented" }, { type: "FieldValueInvalid", field: "metadata.name", detail: "Invalid value: \"z\": field is immutable" }]],
];

/** [selector, kube's errors at spec.selector]. */
const SELECTORS: Array<[MetaLabelSelector | null, FieldError[]]> = [
  [null, []],
  [{}, []],
  [{"matchLabels": {}}, []],
  [{"matchLabels": {"app": "web"}}, []],
  [{"matchLabels": {"app": "web", "tier": "front"}}, []],
  [{"matchExpressions": [{"key": "app", "operator": "In", "values": ["web", "db"]}]}, []],
  [{"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["web"]}]}, []],
  [{"matchExpressions": [{"key": "app", "operator": "Exists"}]}, []],
  [{"matchExpressions": [{"key": "app", "operator": "DoesNotExist"}]}, []],
  [{"matchExpressions": [{"key": "app", "operator": "In", "values": []}]}, [{ type: "FieldValueRequired", field: "spec.selector.matchExpressions[0].values", detail: "Required value: must be specified when `operator` is 'In' or 'NotIn'" }]],
  [{"matchExpressions": [{"key": "app", "operator": "In"}]}, [{ type: "FieldValueRequired", field: "spec.selector.matchExpressions[0].values", detail: "Required value: must be specified when `operator` is 'In' or 'NotIn'" }]],
  [{"matchExpressions": [{"key": "app", "operator": "Exists", "values": ["a"]}]}, [{ type: "FieldValueForbidden", field: "spec.selector.matchExpressions[0].values", detail: "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'" }]],
  [{"matchExpressions": [{"key": "app", "operator": "Foo", "values": ["a"]}]}, [{ type: "FieldValueInvalid", field: "spec.selector.matchExpressions[0].operator", detail: "Invalid value: \"Foo\": not a valid selector operator" }]],
  [{"matchExpressions": [{"key": "app", "operator": "Gt", "values": ["1"]}]}, [{ type: "FieldValueInvalid", field: "spec.selector.matchExpressions[0].operator", detail: "Invalid value: \"Gt\": not a valid selector operator" }]],
  [{"matchExpressions": [{"key": "-app", "operator": "In", "values": ["-x", "y"]}]}, [{ type: "FieldValueInvalid", field: "spec.selector.matchExpressions[0].key", detail: `Invalid value: "-app": name part ${QUALIFIED_NAME_RULE}` }, { type: "FieldValueInvalid", field: "spec.selector.matchExpressions[0].values[0]", detail: `Invalid value: "-x": ${LABEL_VALUE_RULE}` }]],
  [{"matchLabels": {"-a": "b"}}, [{ type: "FieldValueInvalid", field: "spec.selector.matchLabels", detail: `Invalid value: "-a": name part ${QUALIFIED_NAME_RULE}` }]],
  [{"matchLabels": {"a": "-b"}}, [{ type: "FieldValueInvalid", field: "spec.selector.matchLabels", detail: `Invalid value: "-b": ${LABEL_VALUE_RULE}` }]],
  [{"matchLabels": {"z": "1"}, "matchExpressions": [{"key": "a", "operator": "In", "values": ["y", "x"]}, {"key": "b", "operator": "DoesNotExist"}]}, []],
  [{"matchExpressions": [{"key": "", "operator": "", "values": []}]}, [{ type: "FieldValueInvalid", field: "spec.selector.matchExpressions[0].operator", detail: "Invalid value: \"\": not a valid selector operator" }, { type: "FieldValueInvalid", field: "spec.selector.matchExpressions[0].key", detail: "Invalid value: \"\": name part must be non-empty" }, { type: "FieldValueInvalid", field: "spec.selector.matchExpressions[0].key", detail: `Invalid value: "": name part ${QUALIFIED_NAME_RULE}` }]],
];

describe('validateObjectMeta (create)', () => {
  it.each(CREATES)('%j namespaced=%s name rule=%s', (meta, namespaced, nameFn, errors) => {
    expect(sorted(validateObjectMeta(meta, { namespaced, nameFn: NAME_FNS[nameFn] }))).toEqual(sorted(errors));
  });

  it('keeps kube\'s order across fields: generateName, name, namespace, generation, labels, annotations, ...', () => {
    const errors = validateObjectMeta({ generateName: 'A', name: 'B', generation: -1, labels: { a: '-' }, finalizers: ['a/b/c'] }, { namespaced: true, nameFn: nameIsDNSSubdomain });
    expect(errors.map((e) => e.field)).toEqual(['metadata.generateName', 'metadata.name', 'metadata.namespace', 'metadata.generation', 'metadata.labels', 'metadata.finalizers']);
  });

  it('validates under another path for embedded metadata (templates)', () => {
    expect(validateObjectMeta({}, { namespaced: false, nameFn: nameIsDNSSubdomain }, 'spec.template.metadata')[0].field).toBe('spec.template.metadata.name');
  });
});

describe('validateObjectMetaUpdate', () => {
  it.each(UPDATES)('%j over %j', (meta, old, errors) => {
    expect(validateObjectMetaUpdate(meta, old)).toEqual(errors);
  });
});

describe('validateLabelSelector (v1validation.ValidateLabelSelector)', () => {
  it.each(SELECTORS)('%j', (selector, errors) => {
    expect(validateLabelSelector(selector, {}, 'spec.selector')).toEqual(errors);
  });

  it('lets stored objects keep unknown operators and odd values when asked', () => {
    const selector = { matchExpressions: [{ key: 'a', operator: 'Gt', values: ['-1'] }] };
    expect(validateLabelSelector(selector, { allowUnknownOperatorInRequirement: true, allowInvalidLabelValueInSelector: true }, 'spec.selector')).toEqual([]);
  });
});
