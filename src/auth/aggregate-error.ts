// utilerrors.NewAggregate: several errors as one; "[a, b]" when there are more than one.
export class AggregateAuthError extends Error {
  constructor(readonly errors: Error[]) {
    const messages = [...new Set(errors.map((e) => e.message))];
    super(messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`);
    this.name = 'AggregateAuthError';
  }
}

export function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

/** null for no errors (as NewAggregate returns nil), the aggregate otherwise. */
export function aggregate(errors: Error[]): AggregateAuthError | null {
  return errors.length === 0 ? null : new AggregateAuthError(errors);
}
