// The audit log rotates as kube's lumberjack does: renamed with a UTC timestamp before a write would
// pass --audit-log-maxsize, with --audit-log-maxbackup and --audit-log-maxage pruning the backups.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RotatingFile } from '../../src/audit/backends/rotating-file.js';

const MB = 1024 * 1024;
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('audit log rotation', () => {
  it('renames the full file with its rotation time and keeps maxBackups of them', () => {
    dir = mkdtempSync(join(tmpdir(), 'rotation-'));
    let clock = Date.UTC(2024, 4, 6, 7, 8, 9, 0);
    const file = new RotatingFile(join(dir, 'audit.log'), { maxSizeMB: 1, maxBackups: 2, maxAgeDays: 0 }, () => new Date(clock));
    const chunk = 'x'.repeat(0.4 * MB);
    for (let i = 0; i < 9; i++) {
      file.write(`${i}${chunk}\n`);
      clock += 1000;
    }
    file.close();
    // Two writes fit a megabyte: rotations before writes 2, 4, 6 and 8 (counted from 0); the last two backups stay.
    expect(readdirSync(dir).sort()).toEqual(['audit-2024-05-06T07-08-15.000.log', 'audit-2024-05-06T07-08-17.000.log', 'audit.log']);
    expect(readFileSync(join(dir, 'audit.log'), 'utf8').startsWith('8')).toBe(true);
    expect(readFileSync(join(dir, 'audit-2024-05-06T07-08-17.000.log'), 'utf8').startsWith('6')).toBe(true);
  });

  it('removes backups older than maxAge days and refuses a write larger than the limit', () => {
    dir = mkdtempSync(join(tmpdir(), 'rotation-'));
    writeFileSync(join(dir, 'audit-2024-01-01T00-00-00.000.log'), 'old');
    writeFileSync(join(dir, 'audit-2024-05-05T00-00-00.000.log'), 'recent');
    writeFileSync(join(dir, 'unrelated.log'), 'kept');
    const file = new RotatingFile(join(dir, 'audit.log'), { maxSizeMB: 1, maxBackups: 0, maxAgeDays: 3 }, () => new Date(Date.UTC(2024, 4, 6)));
    file.write('y'.repeat(0.6 * MB));
    file.write('z'.repeat(0.6 * MB));
    expect(() => file.write('w'.repeat(2 * MB))).toThrow(`write length ${2 * MB} exceeds maximum file size ${MB}`);
    file.close();
    expect(readdirSync(dir).sort()).toEqual(['audit-2024-05-05T00-00-00.000.log', 'audit-2024-05-06T00-00-00.000.log', 'audit.log', 'unrelated.log']);
  });
});
