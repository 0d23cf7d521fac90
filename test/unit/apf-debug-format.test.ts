// The text of kube's APF debug dumps: Go's tabwriter (minwidth 8, padding 1, spaces), Go's
// Duration.String and RFC3339Nano times, and kube's SeatSeconds. Expected strings come from Go 1.2x.
import { describe, expect, it } from 'vitest';
import { tabwrite } from '../../src/server/flowcontrol/tabwriter.js';
import { goDuration, rfc3339Nano, seatSeconds } from '../../src/server/flowcontrol/debug.js';

describe('APF dump formatting', () => {
  it('aligns cells as Go\'s tabwriter does', () => {
    const text = 'PriorityLevelName,\tActiveQueues,\tIsIdle\ncatch-all,\t0,\ttrue\nx\nworkload-low-long-name,\t12,\tfalse,\textra\n,\t\t\n';
    expect(tabwrite(text, 8, 1)).toBe(
      'PriorityLevelName, ActiveQueues, IsIdle\n' +
        'catch-all,         0,            true\n' +
        'x\n' +
        'workload-low-long-name, 12,     false,  extra\n' +
        ',                               \n',
    );
  });

  it('writes durations, times and seat-seconds as Go and kube do', () => {
    expect([goDuration(5_500_000), goDuration(12_500_000), goDuration(0), goDuration(1500), goDuration(61_500_000_000)]).toEqual(['5.5ms', '12.5ms', '0s', '1.5µs', '1m1.5s']);
    expect(rfc3339Nano(1700000000120)).toBe('2023-11-14T22:13:20.12Z');
    expect(rfc3339Nano(1700000000000)).toBe('2023-11-14T22:13:20Z');
    expect(rfc3339Nano(0)).toBe('0001-01-01T00:00:00Z');
    expect(seatSeconds(0.006)).toBe('0.00600000ss');
    expect(seatSeconds(12.5)).toBe('12.50000000ss');
  });
});
