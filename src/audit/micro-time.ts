// metav1.MicroTime as JSON: RFC 3339 in UTC with exactly six fractional digits.

/** Wall-clock milliseconds (with a fractional part) for a performance.now() reading. */
export function wallClockMs(performanceNow: number = performance.now()): number {
  return performance.timeOrigin + performanceNow;
}

export function formatMicroTime(ms: number): string {
  const wholeMs = Math.floor(ms);
  const micros = Math.floor((ms - wholeMs) * 1000);
  const iso = new Date(wholeMs).toISOString(); // 2006-01-02T15:04:05.000Z
  return `${iso.slice(0, -1)}${String(micros).padStart(3, '0')}Z`;
}
