// Prints a benchmark's figures as a Markdown table, with the machine and the command, ready for RESULTS.md.
import os from 'node:os';

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export function machine() {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

export function report(name, header, rows) {
  const lines = [
    `### ${name} (${new Date().toISOString().slice(0, 10)})`,
    '',
    `Machine: ${machine()}. Command: \`npm run bench -- ${name}\`.`,
    '',
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
