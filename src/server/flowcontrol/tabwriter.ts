// Go's text/tabwriter, for kube's APF debug dumps (NewWriter(w, minwidth 8, tabwidth 0, padding 1,
// ' ', 0)): cells end with a tab; consecutive lines that have a cell in the same column form a block,
// padded to its widest cell plus the padding (at least minwidth); a line's last cell is not aligned.
export function tabwrite(text: string, minwidth: number, padding: number): string {
  const lines = text.split('\n').map((line) => line.split('\t'));
  const out: string[] = [];
  const widths: number[] = [];
  const width = (cell: string) => [...cell].length;

  const writeLines = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const line = lines[i];
      for (let j = 0; j < line.length; j++) {
        out.push(line[j]);
        if (j < widths.length) out.push(' '.repeat(Math.max(0, widths[j] - width(line[j]))));
      }
      // The text after the last newline is a partial line.
      if (i + 1 < lines.length) out.push('\n');
    }
  };

  const format = (line0: number, line1: number) => {
    const column = widths.length;
    for (let at = line0; at < line1; at++) {
      if (column >= lines[at].length - 1) continue;
      writeLines(line0, at);
      line0 = at;
      let w = minwidth;
      for (; at < line1; at++) {
        const line = lines[at];
        if (column >= line.length - 1) break;
        w = Math.max(w, width(line[column]) + padding);
      }
      widths.push(w);
      format(line0, at);
      widths.pop();
      line0 = at;
    }
    writeLines(line0, line1);
  };

  format(0, lines.length);
  return out.join('');
}
