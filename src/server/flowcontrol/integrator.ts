// kube's integrator of a level's seat demand (seats in use plus seats waiting) over time: its
// time-weighted average and standard deviation and its high watermark since the last reset, which
// borrowing reads and resets every adjustment period.
export interface SeatDemandResults {
  seconds: number;
  average: number;
  deviation: number;
  max: number;
}

export class SeatDemandIntegrator {
  private value = 0;
  private max = 0;
  private last = performance.now();
  private elapsed = 0;
  private integral = 0;
  private integralSquares = 0;

  set(value: number, now = performance.now()): void {
    this.accumulate(now);
    this.value = value;
    if (value > this.max) this.max = value;
  }

  private accumulate(now = performance.now()): void {
    const dt = (now - this.last) / 1000;
    this.last = now;
    this.elapsed += dt;
    this.integral += this.value * dt;
    this.integralSquares += this.value * this.value * dt;
  }

  /** The figures since the last reset; the next period starts from the current value. */
  reset(): SeatDemandResults {
    this.accumulate();
    const average = this.elapsed > 0 ? this.integral / this.elapsed : NaN;
    const variance = this.elapsed > 0 ? this.integralSquares / this.elapsed - average * average : NaN;
    const results = { seconds: this.elapsed, average, deviation: variance >= 0 ? Math.sqrt(variance) : NaN, max: this.max };
    this.elapsed = 0;
    this.integral = 0;
    this.integralSquares = 0;
    this.max = this.value;
    return results;
  }
}
