// The generated HAProxy config: what the issue asks of it, line by line.

import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMINGS, haproxyConfig, worstDetectionMs } from '../../fleet/haproxy-config.ts';

const config = haproxyConfig({
  frontend: { host: '127.0.0.1', port: 4400 },
  backends: [{ name: 'host1', host: '10.77.0.2', port: 4312 }, { name: 'host2', host: '10.77.0.3', port: 4312 }],
  statsSocket: '/tmp/hexd-fleet-x/admin.sock',
  maxConnections: 4096,
  timings: DEFAULT_TIMINGS,
});
const lines = config.split('\n').map((line) => line.trim());

describe('haproxyConfig', () => {
  it('is TCP mode, leastconn, with health checks in hexd\'s protocol', () => {
    expect(lines).toContain('mode tcp');
    expect(lines).toContain('balance leastconn');
    expect(lines).toContain('option tcp-check');
    expect(lines).toContain('tcp-check send "4312\\n"');
    expect(lines).toContain('tcp-check expect string 0x10d8');
  });

  it('sends PROXY v2 to every backend, checks included, with the check timings', () => {
    expect(lines).toContain('default-server check inter 500ms fall 2 rise 2 send-proxy-v2 check-send-proxy observe layer4 error-limit 1 on-error mark-down');
    expect(lines).toContain('server host1 10.77.0.2:4312');
    expect(lines).toContain('server host2 10.77.0.3:4312');
  });

  it('has its timeouts, its frontend and an admin socket', () => {
    for (const line of ['timeout connect 2000ms', 'timeout client 60000ms', 'timeout server 60000ms', 'timeout check 500ms', 'bind 127.0.0.1:4400', 'maxconn 4096']) {
      expect(lines).toContain(line);
    }
    expect(lines).toContain('stats socket /tmp/hexd-fleet-x/admin.sock mode 600 level admin');
  });

  it('bounds detection by fall x inter plus the check timeout', () => {
    expect(worstDetectionMs(DEFAULT_TIMINGS)).toBe(2 * 500 + 500);
  });
});
