// --token-auth-file: kube's static token CSV, `token,user,uid,"group1,group2"` per line.
import { readFile } from 'node:fs/promises';
import type { UserInfo } from './user.js';
import type { TokenAuthenticator } from './bearer-token.js';

/** Parses CSV records as Go's encoding/csv does for this file (quotes, leading spaces trimmed). */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let atFieldStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
      continue;
    }
    if (atFieldStart && (c === ' ' || c === '\t')) continue;
    if (c === '"' && atFieldStart) {
      quoted = true;
      atFieldStart = false;
    } else if (c === ',') {
      record.push(field);
      field = '';
      atFieldStart = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      if (record.length > 0 || field !== '') records.push([...record, field]);
      record = [];
      field = '';
      atFieldStart = true;
    } else {
      field += c;
      atFieldStart = false;
    }
  }
  if (quoted) throw new Error('extraneous or missing " in quoted-field');
  if (record.length > 0 || field !== '') records.push([...record, field]);
  return records;
}

export function parseTokenFile(text: string, path: string): Map<string, UserInfo> {
  const tokens = new Map<string, UserInfo>();
  parseCsv(text).forEach((record) => {
    if (record.length < 3) throw new Error(`token file '${path}' must have at least 3 columns (token, user name, user uid), found ${record.length}`);
    const [token, name, uid, groups] = record;
    if (!token) return;
    tokens.set(token, { name, uid, groups: groups ? groups.split(',').map((g) => g.trim()).filter(Boolean) : [] });
  });
  return tokens;
}

export async function tokenFileAuthenticator(path: string): Promise<TokenAuthenticator> {
  const tokens = parseTokenFile(await readFile(path, 'utf8'), path);
  return {
    authenticateToken(token) {
      const user = tokens.get(token);
      return user ? { user: { ...user, groups: [...user.groups] } } : null;
    },
  };
}
