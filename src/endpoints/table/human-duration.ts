// kube's duration.HumanDuration (k8s.io/apimachinery/pkg/util/duration) and the Age cell built on it
// (k8s.io/apimachinery/pkg/api/meta/table.ConvertToHumanReadableDateType).

/** HumanDuration of a duration in milliseconds: ~2-3 significant figures, e.g. "45s", "3m2s", "2d3h". */
export function humanDuration(ms: number): string {
  // Go converts with int(), which truncates toward zero.
  const seconds = Math.trunc(ms / 1000);
  // Up to 2 seconds into the future counts as now: clocks of different machines drift.
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(seconds / 3600);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    const years = Math.trunc(hours / 24 / 365);
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Parses a metav1.Time query/JSON value (RFC 3339, as Go's time.Parse accepts it); undefined when invalid. */
export function parseRFC3339(text: string): number | undefined {
  const match = RFC3339.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = match;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(Number(y), month)) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  let offsetMinutes = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = sign * (oh * 60 + om);
  }
  const millis = frac ? Math.trunc(Number(`0${frac}`) * 1000) : 0;
  return Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(s), millis) - offsetMinutes * 60_000;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * ConvertToHumanReadableDateType: the age of a timestamp, "<unknown>" for an unset one. `now` is
 * injectable for tests.
 */
export function humanReadableAge(timestamp: string | undefined | null, now: number = Date.now()): string {
  if (!timestamp) return '<unknown>';
  const at = parseRFC3339(timestamp);
  if (at === undefined) return '<unknown>';
  return humanDuration(now - at);
}
