// --token-auth-file: kube's static token CSV (tokenfile.NewCSV), `token,user,uid[,"group1,group2"]`.
// A record with fewer than 3 columns or a CSV error fails the start; an empty token is skipped; a
// repeated token: the last one wins; groups are the 4th column split on commas, taken as written.
import { readFile } from 'node:fs/promises';
import type { UserInfo } from './user.js';
import type { TokenAuthenticator } from './token-authenticator.js';
import { readGoCsv } from './go-csv.js';

export interface TokenFileNotice {
  kind: 'empty-token' | 'duplicate-token';
  message: string;
}

export function parseTokenFile(text: string, path: string, notices: TokenFileNotice[] = []): Map<string, UserInfo> {
  const tokens = new Map<string, UserInfo>();
  let recordNumber = 0;
  for (const record of readGoCsv(text)) {
    if (record.length < 3) throw new Error(`token file '${path}' must have at least 3 columns (token, user name, user uid), found ${record.length}`);
    recordNumber++;
    const [token, name, uid] = record;
    if (token === '') {
      notices.push({ kind: 'empty-token', message: `empty token has been found in token file '${path}', record number '${recordNumber}'` });
      continue;
    }
    if (tokens.has(token)) {
      notices.push({ kind: 'duplicate-token', message: `duplicate token has been found in token file '${path}', record number '${recordNumber}'` });
    }
    const user: UserInfo = { name, uid, groups: record.length >= 4 ? record[3].split(',') : [] };
    tokens.set(token, user);
  }
  return tokens;
}

export function tokenMapAuthenticator(tokens: Map<string, UserInfo>): TokenAuthenticator {
  return {
    authenticateToken(token) {
      const user = tokens.get(token);
      return user ? { user: { ...user, groups: [...user.groups] } } : null;
    },
  };
}

export async function tokenFileAuthenticator(path: string, onNotice?: (notice: TokenFileNotice) => void): Promise<TokenAuthenticator> {
  const notices: TokenFileNotice[] = [];
  const tokens = parseTokenFile(await readFile(path, 'utf8'), path, notices);
  for (const notice of notices) onNotice?.(notice);
  return tokenMapAuthenticator(tokens);
}
