// kube's nominal concurrency limits: the server's total (--max-requests-inflight plus
// --max-mutating-requests-inflight) split among the priority levels in proportion to their
// nominalConcurrencyShares, rounded up: NominalCL(l) = ceil(ServerCL * NCS(l) / sum of all NCS).

export function nominalConcurrencyLimits(serverCL: number, shares: Map<string, number>): Map<string, number> {
  let sum = 0;
  for (const s of shares.values()) sum += s;
  const limits = new Map<string, number>();
  for (const [name, s] of shares) limits.set(name, sum > 0 ? Math.ceil((serverCL * s) / sum) : 0);
  return limits;
}
