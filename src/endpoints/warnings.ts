// Warning headers as kube-apiserver sends them: `Warning: 299 - "<text>"`, each once per response.
import type { Context } from 'koa';

export function addWarning(ctx: Context, text: string): void {
  const value = `299 - ${JSON.stringify(text)}`;
  const existing = ctx.response.get('Warning') as unknown;
  const all = Array.isArray(existing) ? (existing as string[]) : existing ? [String(existing)] : [];
  if (!all.includes(value)) ctx.append('Warning', value);
}
