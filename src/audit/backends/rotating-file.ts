// A file that rotates as lumberjack (used by kube's audit log) rotates: before a write would take the
// file past maxSize megabytes (100 when 0), the file is renamed to <name>-<UTC time><ext> with the time
// as 2006-01-02T15-04-05.000, a new file is opened, and backups beyond maxBackups (0 keeps all) or
// older than maxAge days (0 keeps all) are removed. Writes are synchronous (kube's "blocking" mode).
import { closeSync, fstatSync, openSync, readdirSync, renameSync, unlinkSync, writeSync, mkdirSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';

const MEGABYTE = 1024 * 1024;
const DEFAULT_MAX_SIZE_MB = 100;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface RotationOptions {
  maxSizeMB: number;
  maxBackups: number;
  maxAgeDays: number;
}

/** lumberjack's backup timestamp: 2006-01-02T15-04-05.000 (UTC). */
export function backupTimestamp(date: Date): string {
  return date.toISOString().slice(0, 23).replace(/:/g, '-');
}

function parseBackupTimestamp(text: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})\.(\d{3})$/.exec(text);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

export class RotatingFile {
  private fd: number;
  private size: number;
  private readonly maxBytes: number;
  private readonly prefix: string;
  private readonly ext: string;
  private readonly dir: string;

  constructor(
    private readonly path: string,
    private readonly options: RotationOptions,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.maxBytes = (options.maxSizeMB > 0 ? options.maxSizeMB : DEFAULT_MAX_SIZE_MB) * MEGABYTE;
    this.dir = dirname(path);
    this.ext = extname(path);
    this.prefix = `${basename(path, this.ext)}-`;
    mkdirSync(this.dir, { recursive: true });
    this.fd = openSync(path, 'a', 0o600);
    this.size = fstatSync(this.fd).size;
  }

  write(text: string): void {
    const bytes = Buffer.from(text, 'utf8');
    if (bytes.length > this.maxBytes) throw new Error(`write length ${bytes.length} exceeds maximum file size ${this.maxBytes}`);
    if (this.size + bytes.length > this.maxBytes) this.rotate();
    writeSync(this.fd, bytes);
    this.size += bytes.length;
  }

  close(): void {
    closeSync(this.fd);
  }

  private rotate(): void {
    closeSync(this.fd);
    renameSync(this.path, join(this.dir, `${this.prefix}${backupTimestamp(this.now())}${this.ext}`));
    this.fd = openSync(this.path, 'a', 0o600);
    this.size = 0;
    this.removeOldBackups();
  }

  /** The backups, newest first, with the time in their names. */
  backups(): { name: string; time: number }[] {
    const found: { name: string; time: number }[] = [];
    for (const name of readdirSync(this.dir)) {
      if (!name.startsWith(this.prefix) || !name.endsWith(this.ext)) continue;
      const time = parseBackupTimestamp(name.slice(this.prefix.length, name.length - this.ext.length));
      if (time !== undefined) found.push({ name, time });
    }
    return found.sort((a, b) => b.time - a.time);
  }

  private removeOldBackups(): void {
    let backups = this.backups();
    const remove: string[] = [];
    if (this.options.maxBackups > 0 && backups.length > this.options.maxBackups) {
      remove.push(...backups.slice(this.options.maxBackups).map((b) => b.name));
      backups = backups.slice(0, this.options.maxBackups);
    }
    if (this.options.maxAgeDays > 0) {
      const cutoff = this.now().getTime() - this.options.maxAgeDays * DAY_MS;
      remove.push(...backups.filter((b) => b.time < cutoff).map((b) => b.name));
    }
    for (const name of remove) {
      try {
        unlinkSync(join(this.dir, name));
      } catch {
        // Already gone: nothing to do.
      }
    }
  }
}
