// Counters, gauges and histograms whose series a request bumps as plain numbers, read only when
// /metrics is scraped (prom-client hashes the labels on every update, which would be most of APF's
// cost per request). Registered into a prom-client Registry as custom metrics with its get() shape.
import type { Registry } from 'prom-client';

type Labels = Record<string, string>;

interface Value {
  labels: Labels;
  value: number;
  metricName?: string;
}

export interface PlainSeries {
  value: number;
}

/** A counter or gauge: one plain number per label set. */
export class PlainMetric {
  private readonly series = new Map<string, { labels: Labels; s: PlainSeries }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge',
    registry: Registry,
  ) {
    registry.registerMetric(this as never);
  }

  /** The series for these labels (the same object every time, to bump directly). */
  series$(labels: Labels): PlainSeries {
    const key = Object.values(labels).join('\0');
    let entry = this.series.get(key);
    if (!entry) this.series.set(key, (entry = { labels, s: { value: 0 } }));
    return entry.s;
  }

  get(): { name: string; help: string; type: string; values: Value[]; aggregator: string } {
    return { name: this.name, help: this.help, type: this.type, values: [...this.series.values()].map((e) => ({ labels: e.labels, value: e.s.value })), aggregator: 'sum' };
  }

  reset(): void {
    for (const e of this.series.values()) e.s.value = 0;
  }
}

export interface PlainHistogramSeries {
  observe(value: number): void;
}

/** A histogram with fixed buckets: counts per bucket, sum and count per label set. */
export class PlainHistogram {
  readonly type = 'histogram';
  private readonly series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly buckets: number[],
    registry: Registry,
  ) {
    registry.registerMetric(this as never);
  }

  series$(labels: Labels): PlainHistogramSeries {
    const key = Object.values(labels).join('\0');
    let entry = this.series.get(key);
    if (!entry) this.series.set(key, (entry = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 }));
    const e = entry;
    const buckets = this.buckets;
    return {
      observe(value: number) {
        e.sum += value;
        e.count++;
        for (let i = 0; i < buckets.length; i++) {
          if (value <= buckets[i]) {
            e.counts[i]++;
            return;
          }
        }
      },
    };
  }

  get(): { name: string; help: string; type: string; values: Value[]; aggregator: string } {
    const values: Value[] = [];
    for (const e of this.series.values()) {
      let cumulative = 0;
      this.buckets.forEach((b, i) => {
        cumulative += e.counts[i];
        values.push({ labels: { le: String(b), ...e.labels }, value: cumulative, metricName: `${this.name}_bucket` });
      });
      values.push({ labels: { le: '+Inf', ...e.labels }, value: e.count, metricName: `${this.name}_bucket` });
      values.push({ labels: e.labels, value: e.sum, metricName: `${this.name}_sum` });
      values.push({ labels: e.labels, value: e.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: 'histogram', values, aggregator: 'sum' };
  }

  reset(): void {
    for (const e of this.series.values()) {
      e.counts.fill(0);
      e.sum = 0;
      e.count = 0;
    }
  }
}
