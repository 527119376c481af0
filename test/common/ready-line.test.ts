import { describe, expect, it } from 'vitest';
import { formatReadyLine, parseReadyLine } from '../../common/ready-line.ts';

describe('the ready line', () => {
  it('is written as servers print it', () => {
    expect(formatReadyLine({ host: '127.0.0.1', port: 4312, variant: 'event-loop', pid: 77 }))
      .toBe('listening on 127.0.0.1:4312 (event-loop, pid 77)');
  });

  it('puts an IPv6 host in brackets', () => {
    expect(formatReadyLine({ host: '::1', port: 1, variant: 'threads', pid: 2 })).toBe('listening on [::1]:1 (threads, pid 2)');
    expect(formatReadyLine({ host: '::', port: 65432, variant: 'pool', pid: 3 })).toBe('listening on [::]:65432 (pool, pid 3)');
  });

  it('reads back what it writes', () => {
    for (const ready of [
      { host: '127.0.0.1', port: 4312, variant: 'python-sync', pid: 77 },
      { host: '0.0.0.0', port: 0, variant: 'event-loop', pid: 1 },
      { host: '::1', port: 1, variant: 'event-loop', pid: 2 },
      { host: 'fe80::1', port: 65535, variant: 'reference', pid: 123456 },
      { host: 'localhost', port: 80, variant: 'cluster', pid: 9 },
    ]) {
      expect(parseReadyLine(formatReadyLine(ready))).toEqual(ready);
    }
  });

  it('reads hexd and Python ready lines', () => {
    expect(parseReadyLine('listening on 127.0.0.1:4312 (python-sync, pid 77)')).toEqual({ host: '127.0.0.1', port: 4312, variant: 'python-sync', pid: 77 });
    expect(parseReadyLine('listening on [::1]:1 (event-loop, pid 2)')?.host).toBe('::1');
    expect(parseReadyLine('Traceback (most recent call last):')).toBeNull();
  });

  it('is null for any other line', () => {
    expect(parseReadyLine('Traceback (most recent call last):')).toBeNull();
    expect(parseReadyLine('listening on 127.0.0.1:4312 (event-loop, pid 77) ')).toBeNull();
    expect(parseReadyLine('listening on ::1:4312 (event-loop, pid 77)')).toBeNull();
    expect(parseReadyLine('')).toBeNull();
  });
});
