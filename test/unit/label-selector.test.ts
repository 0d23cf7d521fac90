// Label selectors against kube-apiserver 1.32's own answers: every expected value below is what
// k8s.io/apimachinery v0.32 (labels.Parse, Selector.String/Matches, metav1.LabelSelectorAsSelector)
// returned for the same input, and what kube-apiserver answers (400 BadRequest, that text as the
// message) for the same `labelSelector` query parameter.
import { describe, expect, it } from 'vitest';
import { labelSelectorFromMeta, parseLabelSelector, type MetaLabelSelector } from '../../src/registry/selectors/label-selector.js';
import { thrownStatus } from '../support/errors.js';

const LABEL_VALUE_RULE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const QUALIFIED_NAME_RULE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const SUBDOMAIN_RULE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

/** The label sets every parsed selector is matched against. */
const LABEL_SETS: Record<string, string>[] = [{"app": "web", "tier": "front", "n": "5"}, {}, {"app": "db", "n": "-3", "tier": ""}, {"app": "", "x": "in"}, {"in": "notin", "n": "99999999999999999999"}, {"a": "b", "c": "d"}, {"a": "c", "z": "1", "h": ""}, {"a": "", "x": "y", "e": "f"}];

/** [selector, kube's String(), Matches(LABEL_SETS[i])]. */
const PARSED: Array<[string, string, boolean[]]> = [
  ["", "", [true,true,true,true,true,true,true,true]],
  ["a", "a", [false,false,false,false,false,true,true,true]],
  ["!a", "!a", [true,true,true,true,true,false,false,false]],
  ["a=b", "a=b", [false,false,false,false,false,true,false,false]],
  ["a==b", "a==b", [false,false,false,false,false,true,false,false]],
  ["a!=b", "a!=b", [true,true,true,true,true,false,true,true]],
  ["a in (b,c)", "a in (b,c)", [false,false,false,false,false,true,true,false]],
  ["a notin (b,c)", "a notin (b,c)", [true,true,true,true,true,false,false,true]],
  ["a in ()", "a in ()", [false,false,false,false,false,false,false,true]],
  ["a in (,)", "a in ()", [false,false,false,false,false,false,false,true]],
  ["a in (b,,c)", "a in (,b,c)", [false,false,false,false,false,true,true,true]],
  ["a in (,b)", "a in (,b)", [false,false,false,false,false,true,false,true]],
  ["a in (b,)", "a in (,b)", [false,false,false,false,false,true,false,true]],
  ["a=", "a=", [false,false,false,false,false,false,false,true]],
  ["a==", "a==", [false,false,false,false,false,false,false,true]],
  ["a!=", "a!=", [true,true,true,true,true,true,true,false]],
  ["a>5", "a>5", [false,false,false,false,false,false,false,false]],
  ["a<5", "a<5", [false,false,false,false,false,false,false,false]],
  ["n>4", "n>4", [true,false,false,false,false,false,false,false]],
  ["n<4", "n<4", [false,false,true,false,false,false,false,false]],
  ["!a,b", "!a,b", [false,false,false,false,false,false,false,false]],
  ["! a", "!a", [true,true,true,true,true,false,false,false]],
  ["a !=b", "a!=b", [true,true,true,true,true,false,true,true]],
  [" a = b , c in ( d , e ) ", "a=b,c in (d,e)", [false,false,false,false,false,true,false,false]],
  ["a\tin\n(b)\r", "a in (b)", [false,false,false,false,false,true,false,false]],
  ["x in (in,notin)", "x in (in,notin)", [false,false,false,true,false,false,false,false]],
  ["in", "in", [false,false,false,false,true,false,false,false]],
  ["in=in", "in=in", [false,false,false,false,false,false,false,false]],
  ["notin in (in)", "notin in (in)", [false,false,false,false,false,false,false,false]],
  ["a=b,a=c", "a=b,a=c", [false,false,false,false,false,false,false,false]],
  ["z=1, a in (y,x), !b", "a in (x,y),!b,z=1", [false,false,false,false,false,false,false,false]],
  ["app=web,app in (web)", "app=web,app in (web)", [true,false,false,false,false,false,false,false]],
  ["app in (web)", "app in (web)", [true,false,false,false,false,false,false,false]],
  ["app in (web,db)", "app in (db,web)", [true,false,true,false,false,false,false,false]],
  ["a/b=c", "a/b=c", [false,false,false,false,false,false,false,false]],
  ["example.com/A=b", "example.com/A=b", [false,false,false,false,false,false,false,false]],
  ["a=b_c.d-e", "a=b_c.d-e", [false,false,false,false,false,false,false,false]],
  ["a= \u0000b", "a=", [false,false,false,false,false,false,false,true]],
  ["app", "app", [true,false,true,true,false,false,false,false]],
  ["!app", "!app", [false,true,false,false,true,true,true,true]],
  ["app=web,!n", "app=web,!n", [false,false,false,false,false,false,false,false]],
  ["a.b=c", "a.b=c", [false,false,false,false,false,false,false,false]],
  ["a..b=c", "a..b=c", [false,false,false,false,false,false,false,false]],
  ["1=2", "1=2", [false,false,false,false,false,false,false,false]],
  ["a=b,c!=d,e in (f),!g,h", "a=b,c!=d,e in (f),!g,h", [false,false,false,false,false,false,false,false]],
  ["a notin ()", "a notin ()", [true,true,true,true,true,true,true,false]],
  ["a=b,c=", "a=b,c=", [false,false,false,false,false,false,false,false]],
  ["a = b", "a=b", [false,false,false,false,false,true,false,false]],
  ["a in(b)", "a in (b)", [false,false,false,false,false,true,false,false]],
  ["a notin(b,c)", "a notin (b,c)", [true,true,true,true,true,false,false,true]],
  ["a in (b,c,b)", "a in (b,c)", [false,false,false,false,false,true,true,false]],
  ["a in (c,b,a)", "a in (a,b,c)", [false,false,false,false,false,true,true,false]],
];

/** [selector, the message of kube's 400]. */
const REFUSED: Array<[string, string]> = [
  ["a in (,,)", "unable to parse requirement: found ')', expected: ',', or identifier"],
  ["a in (b c)", "unable to parse requirement: found 'c', expected: ',' or ')'"],
  ["a in (b", "unable to parse requirement: found '', expected: ',' or ')'"],
  ["a in b", "unable to parse requirement: found 'b' expected: '('"],
  ["a in (", "unable to parse requirement: found '', expected: ',', ')' or identifier"],
  ["a in", "unable to parse requirement: found '' expected: '('"],
  ["a=b,", "found '', expected: identifier after ','"],
  ["a,", "found '', expected: identifier after ','"],
  ["a,,b", "found ',', expected: identifier after ','"],
  [",a", "found ',', expected: !, identifier, or 'end of string'"],
  ["=a", "found '=', expected: !, identifier, or 'end of string'"],
  ["a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
  ["a=b=c", "found '=', expected: ',' or 'end of string'"],
  ["a=b c", "found 'c', expected: ',' or 'end of string'"],
  ["n>-1", `unable to parse requirement: values[0][n]: Invalid value: "-1": ${LABEL_VALUE_RULE}`],
  ["n>99999999999999999999", "unable to parse requirement: values[0]: Invalid value: \"99999999999999999999\": for 'Gt', 'Lt' operators, the value must be an integer"],
  ["n>a", "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer"],
  ["n>", "unable to parse requirement: values[0]: Invalid value: \"\": for 'Gt', 'Lt' operators, the value must be an integer"],
  ["a>b,c", "unable to parse requirement: values[0]: Invalid value: \"b\": for 'Gt', 'Lt' operators, the value must be an integer"],
  ["!a=b", "found '=', expected: ',' or 'end of string'"],
  ["!!a", "unable to parse requirement: found '!', expected: identifier"],
  ["-a=b", `unable to parse requirement: <nil>: Invalid value: "-a": name part ${QUALIFIED_NAME_RULE}`],
  ["a=-b", `unable to parse requirement: values[0][a]: Invalid value: "-b": ${LABEL_VALUE_RULE}`],
  ["a/b/c=d", `unable to parse requirement: <nil>: Invalid value: "a/b/c": a qualified name ${QUALIFIED_NAME_RULE} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`],
  ["/a=b", "unable to parse requirement: <nil>: Invalid value: \"/a\": prefix part must be non-empty"],
  ["a/=b", `unable to parse requirement: <nil>: Invalid value: "a/": name part must be non-empty; name part ${QUALIFIED_NAME_RULE}`],
  ["Example.com/a=b", `unable to parse requirement: <nil>: Invalid value: "Example.com/a": prefix part ${SUBDOMAIN_RULE}`],
  ["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=b", "unable to parse requirement: <nil>: Invalid value: \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\": name part must be no more than 63 characters"],
  ["a=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "unable to parse requirement: values[0][a]: Invalid value: \"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\": must be no more than 63 characters"],
  ["a=_b", `unable to parse requirement: values[0][a]: Invalid value: "_b": ${LABEL_VALUE_RULE}`],
  ["a (b)", "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"],
  ["a=(b)", "unable to parse requirement: found '(', expected: identifier"],
  ["a=b)", "found ')', expected: ',' or 'end of string'"],
  ["a in (b))", "found ')', expected: ',' or 'end of string'"],
  ["a in ((b))", "unable to parse requirement: found '(', expected: ',', ')' or identifier"],
  ["a!", "unable to parse requirement: found '!', expected: in, notin, =, ==, !=, gt, lt"],
  ["a=!b", "unable to parse requirement: found '!', expected: identifier"],
  ["a=>b", "unable to parse requirement: found '>', expected: identifier"],
  ["a<>b", "unable to parse requirement: found '>', expected: identifier"],
  ["a<=b", "unable to parse requirement: found '=', expected: identifier"],
  ["a>=b", "unable to parse requirement: found '=', expected: identifier"],
  ["a=b!", "found '!', expected: ',' or 'end of string'"],
  ["a\u0000b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
  ["a=b\u0000c d", "found 'c', expected: ',' or 'end of string'"],
  ["ü=b", `unable to parse requirement: <nil>: Invalid value: "ü": name part ${QUALIFIED_NAME_RULE}`],
  ["a=ü", `unable to parse requirement: values[0][a]: Invalid value: "ü": ${LABEL_VALUE_RULE}`],
  ["(a)", "found '(', expected: !, identifier, or 'end of string'"],
  [")a", "found ')', expected: !, identifier, or 'end of string'"],
  ["a,b,", "found '', expected: identifier after ','"],
  ["a==b==c", "found '==', expected: ',' or 'end of string'"],
  ["a in (b,c),,d", "found ',', expected: identifier after ','"],
  ["ain (b)", "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"],
];

function badRequest(fn: () => unknown): string {
  const { status } = thrownStatus(fn);
  expect(status).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'BadRequest', code: 400 });
  return status.message ?? '';
}

describe('parseLabelSelector', () => {
  it.each(PARSED)('%j prints as %j and matches as kube', (text, printed, matches) => {
    const selector = parseLabelSelector(text);
    expect(selector.toString()).toBe(printed);
    expect(LABEL_SETS.map((labels) => selector.matches(labels))).toEqual(matches);
  });

  it.each(REFUSED)('%j is a 400: %s', (text, message) => {
    expect(badRequest(() => parseLabelSelector(text))).toBe(message);
  });

  it('is empty only when it has no requirement', () => {
    expect(parseLabelSelector('').isEmpty()).toBe(true);
    expect(parseLabelSelector(' ').isEmpty()).toBe(true);
    expect(parseLabelSelector('a').isEmpty()).toBe(false);
  });

  it('matches objects without labels as an empty set', () => {
    expect(parseLabelSelector('!a,b!=c,d notin (e)').matches(undefined)).toBe(true);
    expect(parseLabelSelector('a').matches(undefined)).toBe(false);
  });

  it('knows the value a selector pins (RequiresExactMatch)', () => {
    expect(parseLabelSelector('app=web,x').requiresExactMatch('app')).toBe('web');
    expect(parseLabelSelector('app==web').requiresExactMatch('app')).toBe('web');
    expect(parseLabelSelector('app in (web)').requiresExactMatch('app')).toBe('web');
    expect(parseLabelSelector('app in (db,web)').requiresExactMatch('app')).toBeUndefined();
    expect(parseLabelSelector('app!=web').requiresExactMatch('app')).toBeUndefined();
    expect(parseLabelSelector('x=y').requiresExactMatch('app')).toBeUndefined();
  });
});

/** The label sets every converted selector is matched against. */
const META_SETS: Record<string, string>[] = [{"app": "web", "tier": "front"}, {}, {"app": "db"}, {"tier": "x"}];

/** [metav1.LabelSelector, kube's String(), Empty(), Matches(META_SETS[i])]. */
const META_CONVERTED: Array<[MetaLabelSelector | null, string, boolean, boolean[]]> = [
  [null, "", false, [false,false,false,false]],
  [{}, "", true, [true,true,true,true]],
  [{"matchLabels": {}}, "", true, [true,true,true,true]],
  [{"matchLabels": {"app": "web"}}, "app=web", false, [true,false,false,false]],
  [{"matchLabels": {"app": "web", "tier": "front"}}, "app=web,tier=front", false, [true,false,false,false]],
  [{"matchExpressions": [{"key": "app", "operator": "In", "values": ["web", "db"]}]}, "app in (db,web)", false, [true,false,true,false]],
  [{"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["web"]}]}, "app notin (web)", false, [false,true,true,true]],
  [{"matchExpressions": [{"key": "app", "operator": "Exists"}]}, "app", false, [true,false,true,false]],
  [{"matchExpressions": [{"key": "app", "operator": "DoesNotExist"}]}, "!app", false, [false,true,false,true]],
  [{"matchLabels": {"z": "1"}, "matchExpressions": [{"key": "a", "operator": "In", "values": ["y", "x"]}, {"key": "b", "operator": "DoesNotExist"}]}, "a in (x,y),!b,z=1", false, [false,false,false,false]],
];

/** [metav1.LabelSelector, LabelSelectorAsSelector's error text]. */
const META_REFUSED: Array<[MetaLabelSelector, string]> = [
  [{"matchExpressions": [{"key": "app", "operator": "In", "values": []}]}, "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"],
  [{"matchExpressions": [{"key": "app", "operator": "In"}]}, "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"],
  [{"matchExpressions": [{"key": "app", "operator": "Exists", "values": ["a"]}]}, "values: Invalid value: []string{\"a\"}: values set must be empty for exists and does not exist"],
  [{"matchExpressions": [{"key": "app", "operator": "Foo", "values": ["a"]}]}, "\"Foo\" is not a valid label selector operator"],
  [{"matchExpressions": [{"key": "app", "operator": "Gt", "values": ["1"]}]}, "\"Gt\" is not a valid label selector operator"],
  [{"matchExpressions": [{"key": "-app", "operator": "In", "values": ["-x", "y"]}]}, `[key: Invalid value: "-app": name part ${QUALIFIED_NAME_RULE}, values[0][-app]: Invalid value: "-x": ${LABEL_VALUE_RULE}]`],
  [{"matchLabels": {"-a": "b"}}, `key: Invalid value: "-a": name part ${QUALIFIED_NAME_RULE}`],
  [{"matchLabels": {"a": "-b"}}, `values[0][a]: Invalid value: "-b": ${LABEL_VALUE_RULE}`],
  [{"matchExpressions": [{"key": "", "operator": "", "values": []}]}, "\"\" is not a valid label selector operator"],
];

describe('labelSelectorFromMeta (metav1.LabelSelectorAsSelector)', () => {
  it.each(META_CONVERTED)('%j prints as %j', (meta, printed, empty, matches) => {
    const selector = labelSelectorFromMeta(meta);
    expect(selector.toString()).toBe(printed);
    expect(selector.isEmpty()).toBe(empty);
    expect(META_SETS.map((labels) => selector.matches(labels))).toEqual(matches);
  });

  it.each(META_REFUSED)('%j is refused: %s', (meta, message) => {
    expect(badRequest(() => labelSelectorFromMeta(meta))).toBe(message);
  });
});
