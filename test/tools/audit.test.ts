import { describe, expect, it } from 'vitest';
import { auditVerdict } from '../../tools/audit.ts';

describe('CI audit verdict', () => {
  it('goes on, saying so, when the registry answers the audit with an HTTP error', () => {
    const verdict = auditVerdict(JSON.stringify({ statusCode: 405, message: '405 Method Not Allowed', error: {} }));
    expect(verdict).toEqual({ ok: true, line: 'ci: npm audit could not run (the registry answered HTTP 405); going on' });
  });

  it('fails on high or critical findings and passes on lower ones', () => {
    const report = (vulnerabilities: Record<string, number>): string => JSON.stringify({ metadata: { vulnerabilities } });
    expect(auditVerdict(report({ info: 0, low: 2, moderate: 1, high: 0, critical: 0 }))).toEqual({ ok: true, line: 'ci: npm audit: 2 low, 1 moderate' });
    expect(auditVerdict(report({ low: 0, high: 1, critical: 0 })).ok).toBe(false);
    expect(auditVerdict(report({ critical: 3 })).ok).toBe(false);
    expect(auditVerdict(report({ low: 0 })).line).toBe('ci: npm audit: no known vulnerabilities');
  });

  it('goes on when the answer is not JSON at all', () => {
    expect(auditVerdict('').ok).toBe(true);
  });
});
