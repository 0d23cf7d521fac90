// --token-auth-file as kube reads it (tokenfile.NewCSV on Go's encoding/csv). The CSV expectations
// were produced by Go 1.26's encoding/csv with FieldsPerRecord = -1 on the same inputs.
import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readGoCsv } from '../../src/auth/go-csv.js';
import { parseTokenFile, tokenFileAuthenticator, type TokenFileNotice } from '../../src/auth/token-file.js';

describe('Go encoding/csv, as kube reads the token file', () => {
  it.each([
    ['t1,alice,uid-a,"dev,ops"\nt2,bob,uid-b\n  t3, carol ,uid-c,""\n', [['t1', 'alice', 'uid-a', 'dev,ops'], ['t2', 'bob', 'uid-b'], ['  t3', ' carol ', 'uid-c', '']]],
    ['\n\nx,y,z\r\n\r\nq,"multi\r\nline",w\r', [['x', 'y', 'z'], ['q', 'multi\nline', 'w']]],
    ['a,b\rc,d\n', [['a', 'b\rc', 'd']]],
    ['"",u,i\n,u2,i2\n', [['', 'u', 'i'], ['', 'u2', 'i2']]],
    ['t,u,i,\n', [['t', 'u', 'i', '']]],
    ['t,u,i,"a, b,,c"\n', [['t', 'u', 'i', 'a, b,,c']]],
    ['', []],
  ])('%j', (input, records) => {
    expect(readGoCsv(input)).toEqual(records);
  });

  it.each([
    ['a,"b', 'parse error on line 1, column 5: extraneous or missing " in quoted-field'],
    ['a,"b\nc', 'record on line 1; parse error on line 2, column 2: extraneous or missing " in quoted-field'],
    ['a,"b"x,c\n', 'parse error on line 1, column 5: extraneous or missing " in quoted-field'],
    ['a,b"c,d\n', 'parse error on line 1, column 4: bare " in non-quoted-field'],
    ['é,"ü""q",z\nfoo,"bar" ,baz\n', 'parse error on line 2, column 9: extraneous or missing " in quoted-field'],
    ['x,"y\nz"q\n', 'record on line 1; parse error on line 2, column 2: extraneous or missing " in quoted-field'],
  ])('%j fails as Go fails', (input, message) => {
    expect(() => readGoCsv(input)).toThrow(message);
  });
});

describe('token file records (kube\'s tokenfile rules)', () => {
  it('reads token, user, uid and the groups column split on commas, as written', () => {
    const tokens = parseTokenFile('t1,alice,uid-a,"dev,ops"\nt2,bob,uid-b\n t3,carol,uid-c,""\nt4,dave,uid-d,"a, b"\n', 'tokens.csv');
    expect(tokens.get('t1')).toEqual({ name: 'alice', uid: 'uid-a', groups: ['dev', 'ops'] });
    expect(tokens.get('t2')).toEqual({ name: 'bob', uid: 'uid-b', groups: [] });
    // Go does not trim: the token is " t3", and an empty 4th column is one empty group
    expect(tokens.get('t3')).toBeUndefined();
    expect(tokens.get(' t3')).toEqual({ name: 'carol', uid: 'uid-c', groups: [''] });
    expect(tokens.get('t4')?.groups).toEqual(['a', ' b']);
  });

  it('refuses a record with fewer than 3 columns, with kube\'s message', () => {
    expect(() => parseTokenFile('t1,alice,uid\nt2,bob\n', '/etc/tokens.csv')).toThrow(
      "token file '/etc/tokens.csv' must have at least 3 columns (token, user name, user uid), found 2",
    );
  });

  it('refuses a CSV error with Go\'s message', () => {
    expect(() => parseTokenFile('t1,al"ice,uid\n', 'tokens.csv')).toThrow('parse error on line 1, column 6: bare " in non-quoted-field');
  });

  it('skips empty tokens and lets a repeated token win last, with kube\'s warnings', () => {
    const notices: TokenFileNotice[] = [];
    const tokens = parseTokenFile(',nobody,uid-0\nt,first,uid-1\nt,second,uid-2\n', 'tokens.csv', notices);
    expect([...tokens.keys()]).toEqual(['t']);
    expect(tokens.get('t')?.name).toBe('second');
    expect(notices.map((n) => n.message)).toEqual([
      "empty token has been found in token file 'tokens.csv', record number '1'",
      "duplicate token has been found in token file 'tokens.csv', record number '3'",
    ]);
  });

  it('authenticates a known token and has no opinion on others', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kc-token-file-'));
    const path = join(dir, 'tokens.csv');
    await writeFile(path, 'secret,alice,uid-a,"dev,ops"\n');
    const authenticator = await tokenFileAuthenticator(path);
    expect(await authenticator.authenticateToken('secret')).toEqual({ user: { name: 'alice', uid: 'uid-a', groups: ['dev', 'ops'] } });
    expect(await authenticator.authenticateToken('Secret')).toBeNull();
    await expect(tokenFileAuthenticator(join(dir, 'missing.csv'))).rejects.toThrow(/ENOENT/);
  });
});
