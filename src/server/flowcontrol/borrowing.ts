// Borrowing between priority levels, as kube's APF controller does it every 10 seconds: each level's
// seat demand (seats in use plus waiting, integrated since the last adjustment) gives its high
// watermark and a smoothed envelope (average plus deviation, decaying with a 5-minute half-life).
// Each limited level then gets a current limit between
//   lower: max(nominal - lendable, min(nominal, high watermark))  — what it used, unless it can lend it
//   upper: nominal + borrowing limit (borrowingLimitPercent of nominal; unlimited when unset)
// shared out in proportion to the smoothed demand (kube's fair allocation: one proportion, clipped to
// each level's bounds, such that the limits add up to the sum of the nominal limits). The exempt level
// keeps what it used. So an idle level lends its lendable seats, and takes them back once its demand
// shows.
export const BORROWING_PERIOD_MS = 10_000;
const SMOOTHING = 0.977;
const MIN_TARGET = 0.001;
const EPSILON = 1e-7;

export interface AllocationItem {
  target: number;
  lower: number;
  upper: number;
}

/**
 * Amounts between each item's bounds, summing to requiredSum, each as close to one proportion of its
 * target as its bounds let it be. Throws when the bounds cannot sum to requiredSum.
 */
export function allocateConcurrency(requiredSum: number, items: AllocationItem[]): { allocations: number[]; fairProp: number } {
  if (requiredSum < 0) throw new Error('negative sums are not supported');
  let lowSum = 0;
  let highSum = 0;
  const targets = items.map((item, i) => {
    if (item.lower < 0) throw new Error(`lower bound ${i} is ${item.lower} but negative lower bounds are not allowed`);
    if (item.target < item.lower) throw new Error(`target ${i} is ${item.target}, which is below its lower bound of ${item.lower}`);
    if (item.upper < item.lower) throw new Error(`upper bound ${i} is ${item.upper} but should not be less than the lower bound ${item.lower}`);
    lowSum += item.lower;
    highSum += item.upper;
    return Math.max(item.target, MIN_TARGET);
  });
  if (lowSum - requiredSum > EPSILON) throw new Error(`lower bounds sum to ${lowSum}, which is higher than the required sum of ${requiredSum}`);
  if (requiredSum - highSum > EPSILON) throw new Error(`upper bounds sum to ${highSum}, which is lower than the required sum of ${requiredSum}`);
  const at = (prop: number) => items.map((item, i) => Math.max(item.lower, Math.min(item.upper, prop * targets[i])));
  const sumAt = (prop: number) => at(prop).reduce((a, b) => a + b, 0);
  if (requiredSum === 0) return { allocations: items.map(() => 0), fairProp: 0 };
  if (lowSum - requiredSum > -EPSILON) return { allocations: items.map((i) => i.lower), fairProp: Math.min(...items.map((item, i) => item.lower / targets[i])) };
  if (requiredSum - highSum > -EPSILON) return { allocations: items.map((i) => i.upper), fairProp: Math.max(...items.map((item, i) => item.upper / targets[i])) };
  // The sum is piecewise linear and non-decreasing in the proportion, with breaks where an item
  // reaches a bound: find the segment that crosses requiredSum and interpolate within it.
  const breaks = [...new Set(items.flatMap((item, i) => [item.lower / targets[i], item.upper / targets[i]]))].sort((a, b) => a - b);
  let low = 0;
  let lowValue = sumAt(0);
  for (const b of breaks) {
    const value = sumAt(b);
    if (value >= requiredSum) {
      const prop = value === lowValue ? b : low + ((requiredSum - lowValue) * (b - low)) / (value - lowValue);
      return { allocations: at(prop), fairProp: prop };
    }
    low = b;
    lowValue = value;
  }
  throw new Error('impossible: ran out of bounds to consider in bound-constrained problem');
}

export interface SeatDemandStats {
  average: number;
  deviation: number;
  highWatermark: number;
  smoothed: number;
}

export function newSeatDemandStats(): SeatDemandStats {
  return { average: 0, deviation: 0, highWatermark: 0, smoothed: 0 };
}

export function updateSeatDemandStats(stats: SeatDemandStats, obs: { seconds: number; average: number; deviation: number; max: number }): void {
  stats.highWatermark = Math.round(obs.max);
  if (obs.seconds <= 0) return;
  const deviation = Number.isNaN(obs.deviation) ? 0 : obs.deviation;
  stats.average = obs.average;
  stats.deviation = deviation;
  const envelope = obs.average + deviation;
  stats.smoothed = Math.max(envelope, SMOOTHING * stats.smoothed + (1 - SMOOTHING) * envelope);
}

export interface BorrowingLevel {
  exempt: boolean;
  nominalLimit: number;
  /** nominal - lendable */
  minLimit: number;
  /** nominal + borrowing limit */
  maxLimit: number;
  currentLimit: number;
  demand: SeatDemandStats;
}

/**
 * New current limits for all levels (kube's updateBorrowingLocked), from their demand stats (already
 * updated for the period). nominalSum: the sum of all nominal limits.
 */
export function currentLimits(levels: BorrowingLevel[], nominalSum: number): number[] {
  let remaining = nominalSum;
  let minSum = 0;
  let minCurrentSum = 0;
  const items: AllocationItem[] = [];
  const itemOf = new Map<number, number>();
  const minCurrent = levels.map((level, i) => {
    if (level.exempt) {
      const m = Math.max(level.minLimit, level.demand.highWatermark);
      remaining -= m;
      return m;
    }
    const m = Math.max(level.minLimit, Math.min(level.nominalLimit, level.demand.highWatermark));
    itemOf.set(i, items.length);
    items.push({ lower: m, upper: level.maxLimit, target: Math.max(m, level.demand.smoothed) });
    minSum += level.minLimit;
    minCurrentSum += m;
    return m;
  });
  let allocations: number[] | undefined;
  let shareFrac = 0;
  if (remaining <= minSum) {
    // Not even the configured minimums fit: everyone gets its minimum.
  } else if (remaining <= minCurrentSum) {
    shareFrac = (remaining - minSum) / (minCurrentSum - minSum);
  } else {
    try {
      allocations = allocateConcurrency(nominalSum, items).allocations;
    } catch {
      allocations = levels.filter((l) => !l.exempt).map((l) => l.currentLimit);
    }
  }
  return levels.map((level, i) => {
    if (level.exempt) return minCurrent[i];
    if (remaining <= minSum) return level.minLimit;
    if (!allocations) return level.minLimit + Math.round((minCurrent[i] - level.minLimit) * shareFrac);
    return goRound(allocations[itemOf.get(i)!]);
  });
}

/** Go's math.Round: halves away from zero. */
export function goRound(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}
