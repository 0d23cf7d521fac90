import { describe, expect, it } from 'vitest';
import { goFormatValue, goTypeName } from '../../src/endpoints/patch/go-format.js';
import { goJsonSyntaxError, goQuote } from '../../src/endpoints/patch/go-json.js';
import { goSliceStable } from '../../src/endpoints/patch/go-sort.js';

describe('Go formatting used in kube error texts', () => {
  it.each([
    [null, '<nil>'],
    ['s', 's'],
    [true, 'true'],
    [42, '42'],
    [1.5, '1.5'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [123456.5, '123456.5'],
    [1234567.5, '1.2345675e+06'],
    [['a', 1, null], '[a 1 <nil>]'],
    [{ b: 1, a: { c: ['x'] } }, 'map[a:map[c:[x]] b:1]'],
  ])('%%v of %j is %s', (value, text) => {
    expect(goFormatValue(value)).toBe(text);
  });

  it('reflect type names', () => {
    expect([goTypeName('x'), goTypeName(1), goTypeName(1.5), goTypeName(true), goTypeName([]), goTypeName({}), goTypeName(null)]).toEqual([
      'string',
      'int64',
      'float64',
      'bool',
      '[]interface {}',
      'map[string]interface {}',
      '%!s(<nil>)',
    ]);
  });

  it('%q quoting', () => {
    expect(goQuote('a"b\\c\n\u0001é')).toBe('"a\\"b\\\\c\\n\\x01é"');
  });

  it('valid JSON has no syntax error', () => {
    expect(goJsonSyntaxError(Buffer.from(' {"a": [1, -2.5e+3, true, false, null, "\\u00e9"]} '))).toBeUndefined();
  });

  it('sort.SliceStable keeps equal elements in order', () => {
    const items = Array.from({ length: 50 }, (_, i) => ({ key: i % 3, i }));
    const sorted = goSliceStable(items, (a, b) => a.key < b.key);
    expect(sorted.map((x) => x.key)).toEqual([...Array(17).fill(0), ...Array(17).fill(1), ...Array(16).fill(2)]);
    expect(sorted.filter((x) => x.key === 1).map((x) => x.i)).toEqual(items.filter((x) => x.key === 1).map((x) => x.i));
  });
});
