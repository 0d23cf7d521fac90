// Tables as kube-apiserver returns them. Pinned to (v0.32.1): k8s.io/apiserver handlers/response.go
// (asTable), registry/rest/table.go (default convertor), apimachinery pkg/util/duration
// (HumanDuration), apiextensions-apiserver registry/customresource/tableconvertor, and
// kubernetes pkg/printers (Name + Age columns of built-in printers).
import { describe, expect, it } from 'vitest';
import { humanDuration, humanReadableAge } from '../../src/endpoints/table/human-duration.js';
import { objectToTable, parseIncludeObject, toTable } from '../../src/endpoints/table/table.js';
import {
  defaultTableConvertor,
  nameAgeTableConvertor,
  OBJECT_META_CREATION_TIMESTAMP_DESCRIPTION,
  OBJECT_META_NAME_DESCRIPTION,
} from '../../src/endpoints/table/default-convertors.js';
import { columnsFromPrinterColumns, crdTableConvertor } from '../../src/endpoints/table/printer-columns.js';
import { StatusError } from '../../src/endpoints/status.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('humanDuration (duration.HumanDuration)', () => {
  it.each([
    [-2 * S, '<invalid>'],
    [-1500, '0s'],
    [-1 * S, '0s'],
    [0, '0s'],
    [999, '0s'],
    [45 * S, '45s'],
    [119 * S, '119s'],
    [2 * M, '2m'],
    [3 * M + 2 * S, '3m2s'],
    [9 * M + 59 * S, '9m59s'],
    [10 * M + 30 * S, '10m'],
    [179 * M, '179m'],
    [3 * H, '3h'],
    [3 * H + 5 * M, '3h5m'],
    [7 * H + 59 * M, '7h59m'],
    [8 * H + 30 * M, '8h'],
    [47 * H, '47h'],
    [2 * D, '2d'],
    [2 * D + 3 * H, '2d3h'],
    [7 * D + 23 * H, '7d23h'],
    [8 * D + 5 * H, '8d'],
    [729 * D, '729d'],
    [730 * D, '2y'],
    [800 * D, '2y70d'],
    [365 * 8 * D, '8y'],
    [365 * 9 * D + 40 * D, '9y'],
  ])('%d ms is %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });

  it('shows <unknown> for a missing timestamp and the age otherwise', () => {
    const now = Date.parse('2024-01-02T00:00:00Z');
    expect(humanReadableAge(undefined, now)).toBe('<unknown>');
    expect(humanReadableAge('2024-01-01T23:55:00Z', now)).toBe('5m');
    expect(humanReadableAge('2024-01-02T01:00:00+01:00', now)).toBe('0s');
  });
});

const configMap = (name: string, rv: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: rv, creationTimestamp: '2024-01-01T00:00:00Z', ...extra },
  data: { a: 'b' },
});

describe('defaultTableConvertor (rest.NewDefaultTableConvertor)', () => {
  it('has Name and Created At columns with the ObjectMeta descriptions', () => {
    const table = toTable([configMap('a', '5')], defaultTableConvertor(), { listMeta: { resourceVersion: '9' } });
    expect(table.columnDefinitions).toEqual([
      { name: 'Name', type: 'string', format: 'name', description: OBJECT_META_NAME_DESCRIPTION, priority: 0 },
      { name: 'Created At', type: 'date', format: '', description: OBJECT_META_CREATION_TIMESTAMP_DESCRIPTION, priority: 0 },
    ]);
    expect(table.rows?.[0].cells).toEqual(['a', '2024-01-01T00:00:00Z']);
  });

  it('writes the creation time in RFC 3339 UTC without fractions', () => {
    const [row] = toTable([configMap('a', '5', { creationTimestamp: '2024-01-01T02:00:00.123+02:00' })], defaultTableConvertor()).rows!;
    expect(row.cells[1]).toBe('2024-01-01T00:00:00Z');
  });

  it('gives "rows": null for an empty list, as kube appends to a nil slice', () => {
    expect(JSON.stringify(toTable([], defaultTableConvertor(), { listMeta: { resourceVersion: '3' } }))).toBe(
      '{"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":{"resourceVersion":"3"},"columnDefinitions":' +
        JSON.stringify(defaultTableConvertor().columns) +
        ',"rows":null}',
    );
  });
});

describe('toTable (asTable)', () => {
  const convertor = nameAgeTableConvertor([], () => Date.parse('2024-01-01T00:05:00Z'));

  it('is a meta.k8s.io/v1 Table with the list metadata and PartialObjectMetadata rows by default', () => {
    const table = toTable([configMap('a', '5'), configMap('b', '6')], convertor, {
      listMeta: { resourceVersion: '10', continue: 'tok', remainingItemCount: 3 },
    });
    expect(Object.keys(table)).toEqual(['kind', 'apiVersion', 'metadata', 'columnDefinitions', 'rows']);
    expect(table.metadata).toEqual({ resourceVersion: '10', continue: 'tok', remainingItemCount: 3 });
    expect(table.columnDefinitions?.map((c) => [c.name, c.type, c.format])).toEqual([
      ['Name', 'string', 'name'],
      ['Age', 'string', ''],
    ]);
    expect(table.rows).toEqual([
      {
        cells: ['a', '5m'],
        object: {
          kind: 'PartialObjectMetadata',
          apiVersion: 'meta.k8s.io/v1',
          metadata: { name: 'a', namespace: 'default', uid: 'uid-a', resourceVersion: '5', creationTimestamp: '2024-01-01T00:00:00Z' },
        },
      },
      expect.objectContaining({ cells: ['b', '5m'] }),
    ]);
  });

  it('keeps remainingItemCount 0 (a pointer in kube) and omits empty continue', () => {
    expect(toTable([], convertor, { listMeta: { resourceVersion: '1', continue: '', remainingItemCount: 0 } }).metadata).toEqual({
      resourceVersion: '1',
      remainingItemCount: 0,
    });
  });

  it('uses meta.k8s.io/v1beta1 for the Table and its row objects when asked', () => {
    const table = toTable([configMap('a', '5')], convertor, { version: 'v1beta1' });
    expect(table.apiVersion).toBe('meta.k8s.io/v1beta1');
    expect((table.rows![0].object as { apiVersion: string }).apiVersion).toBe('meta.k8s.io/v1beta1');
  });

  it('embeds the whole object for includeObject=Object and null for None', () => {
    const obj = configMap('a', '5');
    expect(toTable([obj], convertor, { includeObject: 'Object' }).rows![0].object).toBe(obj);
    expect(JSON.stringify(toTable([obj], convertor, { includeObject: 'None' }).rows![0])).toBe('{"cells":["a","5m"],"object":null}');
  });

  it('writes "columnDefinitions": null with noHeaders (watch events after the first)', () => {
    expect(toTable([configMap('a', '5')], convertor, { noHeaders: true }).columnDefinitions).toBeNull();
  });

  it('gives "rows": [] for an empty list with a printer convertor', () => {
    expect(toTable([], convertor).rows).toEqual([]);
  });

  it("makes a single object one row with the object's resourceVersion", () => {
    const table = objectToTable(configMap('a', '42'), convertor);
    expect(table.metadata).toEqual({ resourceVersion: '42' });
    expect(table.rows).toHaveLength(1);
  });

  it('puts extra printer columns between Name and Age', () => {
    const dataColumn = { name: 'Data', type: 'string' as const, format: '', description: 'd', priority: 0 };
    const table = toTable([configMap('a', '5')], nameAgeTableConvertor([{ column: dataColumn, cell: (o) => Object.keys(o.data).length }], () => 0));
    expect(table.columnDefinitions?.map((c) => c.name)).toEqual(['Name', 'Data', 'Age']);
    expect(table.rows![0].cells).toEqual(['a', 1, '<invalid>']);
  });
});

describe('parseIncludeObject (ValidateTableOptions)', () => {
  it('accepts the three policies and empty', () => {
    for (const value of [undefined, '', 'None', 'Metadata', 'Object']) expect(() => parseIncludeObject(value)).not.toThrow();
  });

  it("answers 400 with kube's message for anything else", () => {
    let caught: unknown;
    try {
      parseIncludeObject('metadata');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(StatusError);
    expect((caught as StatusError).status).toMatchObject({
      code: 400,
      reason: 'BadRequest',
      message: `Unable to convert to Table as requested: includeObject: Invalid value: "metadata": must be 'Metadata', 'Object', 'None', or empty`,
    });
  });
});

describe('CRD printer columns (tableconvertor.New)', () => {
  const now = () => Date.parse('2024-01-01T01:00:00Z');
  const widget = {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'w1', creationTimestamp: '2024-01-01T00:00:00Z', labels: { 'app.kubernetes.io/name': 'shop' } },
    spec: { replicas: 3, ratio: 1.5, big: 12345678.5, enabled: true, ports: [{ port: 80 }, { port: 443 }], tags: { b: 1, a: '<x>' }, empty: null },
    status: { conditions: [{ type: 'Available', status: 'False' }, { type: 'Ready', status: 'True' }], seen: 'not a date', at: '' },
  };
  const column = (name: string, type: string, jsonPath: string, extra: Record<string, unknown> = {}) => ({ name, type, jsonPath, ...extra });

  it('adds Name first and defaults descriptions to the JSONPath', () => {
    const convertor = columnsFromPrinterColumns([column('Replicas', 'integer', '.spec.replicas', { priority: 1, format: 'int32' })], now);
    expect(convertor.columns).toEqual([
      { name: 'Name', type: 'string', format: 'name', description: OBJECT_META_NAME_DESCRIPTION, priority: 0 },
      { name: 'Replicas', type: 'integer', format: 'int32', description: 'Custom resource definition column (in JSONPath format): .spec.replicas', priority: 1 },
    ]);
  });

  it('serves Name + Age (type date) when the CRD has no printer columns', () => {
    const convertor = crdTableConvertor([], now);
    expect(convertor.columns.map((c) => [c.name, c.type])).toEqual([
      ['Name', 'string'],
      ['Age', 'date'],
    ]);
    expect(convertor.columns[1].description).toBe(OBJECT_META_CREATION_TIMESTAMP_DESCRIPTION);
    expect(convertor.cells(widget)).toEqual(['w1', '60m']);
  });

  it('formats cells by column type', () => {
    const convertor = columnsFromPrinterColumns(
      [
        column('Replicas', 'integer', '.spec.replicas'),
        column('RatioInt', 'integer', '.spec.ratio'),
        column('Ratio', 'number', '.spec.ratio'),
        column('Enabled', 'boolean', '.spec.enabled'),
        column('EnabledStr', 'string', '.spec.enabled'),
        column('Age', 'date', '.metadata.creationTimestamp'),
        column('Seen', 'date', '.status.seen'),
        column('At', 'date', '.status.at'),
        column('WrongType', 'boolean', '.spec.replicas'),
      ],
      now,
    );
    expect(convertor.cells(widget)).toEqual(['w1', 3, 1, 1.5, true, 'true', '60m', '<invalid>', '<unknown>', null]);
  });

  it('prints string cells as kube\'s jsonpath does: first match only, JSON for maps and lists, Go floats, <no value> for null', () => {
    const convertor = columnsFromPrinterColumns(
      [
        column('FirstPort', 'string', '.spec.ports[*].port'),
        column('LastPort', 'string', '.spec.ports[-1].port'),
        column('Ports', 'string', '.spec.ports'),
        column('Tags', 'string', '.spec.tags'),
        column('Big', 'string', '.spec.big'),
        column('Empty', 'string', '.spec.empty'),
        column('Missing', 'string', '.spec.nothing.here'),
        column('Ready', 'string', '.status.conditions[?(@.type=="Ready")].status'),
        column('NotFound', 'string', `.status.conditions[?(@.type=='Gone')].status`),
        column('Escaped', 'string', '.metadata.labels.app\\.kubernetes\\.io/name'),
        column('Bracket', 'string', `.metadata.labels['app\\.kubernetes\\.io/name']`),
        column('BracketDots', 'string', `.metadata.labels['app.kubernetes.io/name']`),
      ],
      now,
    );
    expect(convertor.cells(widget)).toEqual([
      'w1',
      '80',
      '443',
      '[{"port":80},{"port":443}]',
      '{"a":"\\u003cx\\u003e","b":1}',
      '1.23456785e+07',
      '<no value>',
      null,
      'True',
      null,
      'shop',
      'shop',
      null,
    ]);
  });

  it('evaluates slices, unions, comparisons, existence filters and recursive descent as client-go jsonpath', () => {
    // Expectations produced by client-go v0.32.1 util/jsonpath on the same object.
    const convertor = columnsFromPrinterColumns(
      [
        column('Slice', 'string', '.spec.ports[0:2].port'),
        column('Union', 'string', '.spec.ports[1,0].port'),
        column('Greater', 'string', '.spec.ports[?(@.port>100)].port'),
        column('Exists', 'string', '.spec.ports[?(@.port)].port'),
        column('Recursive', 'string', '..port'),
        column('Dot', 'string', '.'),
        column('IntVsFloat', 'string', '.spec.ports[?(@.port==80.0)].port'),
        column('Text', 'string', '.metadata.name}x{.kind'),
      ],
      now,
    );
    expect(convertor.cells(widget)).toEqual(['w1', '80', '443', '443', '80', '80', null, null, 'w1']);
  });

  it('gives null cells for paths that fail to evaluate (index out of range, filter on a map)', () => {
    const convertor = columnsFromPrinterColumns([column('Third', 'string', '.spec.ports[5].port'), column('Bad', 'string', '.spec[?(@.x)]')], now);
    expect(convertor.cells(widget)).toEqual(['w1', null, null]);
  });

  it('stops at a column whose JSONPath does not parse, keeping the columns before it', () => {
    const convertor = columnsFromPrinterColumns([column('Ok', 'string', '.spec.replicas'), column('Bad', 'string', '.spec[0'), column('After', 'string', '.x')], now);
    expect(convertor.parseError).toBe('unrecognized column definition ".spec[0"');
    expect(convertor.columns.map((c) => c.name)).toEqual(['Name', 'Ok']);
    expect(convertor.cells(widget)).toEqual(['w1', '3']);
  });

  it('builds a whole CRD Table with rows: [] when empty', () => {
    expect(toTable([], crdTableConvertor(undefined, now)).rows).toEqual([]);
  });
});
