// Go's encoding/csv Reader with its defaults plus FieldsPerRecord = -1, as kube's token file reader
// uses it: no trimming, RFC 4180 quotes (a bare quote in an unquoted field and a stray character after
// a closing quote are errors), blank lines skipped, \r\n read as \n. Errors carry Go's wording with
// 1-based line and byte column.

export const ERR_BARE_QUOTE = 'bare " in non-quoted-field';
export const ERR_QUOTE = 'extraneous or missing " in quoted-field';

export class CsvParseError extends Error {
  constructor(
    readonly startLine: number,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(
      startLine !== line
        ? `record on line ${startLine}; parse error on line ${line}, column ${column}: ${reason}`
        : `parse error on line ${line}, column ${column}: ${reason}`,
    );
    this.name = 'CsvParseError';
  }
}

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const lengthNL = (s: string) => (s.endsWith('\n') ? 1 : 0);

/** Reads lines the way csv.Reader.readLine does: with their \n, \r\n normalised, a final \r dropped. */
class LineReader {
  private offset = 0;
  lineNumber = 0;
  constructor(private readonly text: string) {}

  /** undefined at the end of the input. */
  next(): string | undefined {
    if (this.offset >= this.text.length) return undefined;
    const nl = this.text.indexOf('\n', this.offset);
    let line = nl === -1 ? this.text.slice(this.offset) : this.text.slice(this.offset, nl + 1);
    this.offset = nl === -1 ? this.text.length : nl + 1;
    this.lineNumber++;
    if (nl === -1 && line.endsWith('\r')) line = line.slice(0, -1);
    if (line.endsWith('\r\n')) line = `${line.slice(0, -2)}\n`;
    return line;
  }
}

function readRecord(lines: LineReader): string[] | undefined {
  let line: string | undefined;
  do line = lines.next();
  while (line !== undefined && line.length === lengthNL(line));
  if (line === undefined) return undefined;

  const recordLine = lines.lineNumber;
  const pos = { line: recordLine, col: 1 };
  const fields: string[] = [];
  for (;;) {
    if (line.length === 0 || line[0] !== '"') {
      const comma = line.indexOf(',');
      const field = comma >= 0 ? line.slice(0, comma) : line.slice(0, line.length - lengthNL(line));
      const quote = field.indexOf('"');
      if (quote >= 0) throw new CsvParseError(recordLine, lines.lineNumber, pos.col + bytes(field.slice(0, quote)), ERR_BARE_QUOTE);
      fields.push(field);
      if (comma < 0) return fields;
      pos.col += bytes(field) + 1;
      line = line.slice(comma + 1);
      continue;
    }
    // A quoted field, possibly over several lines.
    line = line.slice(1);
    pos.col += 1;
    let value = '';
    for (;;) {
      const quote = line.indexOf('"');
      if (quote >= 0) {
        value += line.slice(0, quote);
        pos.col += bytes(line.slice(0, quote)) + 1;
        line = line.slice(quote + 1);
        if (line[0] === '"') {
          value += '"';
          line = line.slice(1);
          pos.col += 1;
        } else if (line[0] === ',') {
          line = line.slice(1);
          pos.col += 1;
          fields.push(value);
          break;
        } else if (line.length === lengthNL(line)) {
          fields.push(value);
          return fields;
        } else {
          throw new CsvParseError(recordLine, lines.lineNumber, pos.col - 1, ERR_QUOTE);
        }
      } else if (line.length > 0) {
        value += line;
        pos.col += bytes(line);
        line = lines.next() ?? '';
        if (line.length > 0) {
          pos.line++;
          pos.col = 1;
        }
      } else {
        // The input ended inside the quotes.
        throw new CsvParseError(recordLine, pos.line, pos.col, ERR_QUOTE);
      }
    }
  }
}

export function readGoCsv(text: string): string[][] {
  const lines = new LineReader(text);
  const records: string[][] = [];
  for (let record = readRecord(lines); record; record = readRecord(lines)) records.push(record);
  return records;
}
