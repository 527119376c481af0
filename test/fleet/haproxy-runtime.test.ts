// `show stat` read by its header, as HAProxy 2.6 writes it (columns trimmed to the first 20).

import { describe, expect, it } from 'vitest';
import { parseServerStats } from '../../fleet/haproxy-runtime.ts';

const CSV = [
  '# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,',
  'hexd,FRONTEND,,,3,5,4096,40,1,2,0,0,0,,,,,OPEN,,,',
  'hexd,host1,0,0,2,3,,21,1,2,,0,,0,0,0,0,UP,1,1,',
  'hexd,host2,0,0,1,2,,19,1,2,,0,,0,0,0,0,DOWN 1/2,1,1,',
  'hexd,BACKEND,0,0,3,5,410,40,1,2,0,0,,0,0,0,0,UP,2,2,',
  '',
].join('\n');

describe('parseServerStats', () => {
  it('gives each server of the backend its status and connection counts, frontend and totals left out', () => {
    expect(parseServerStats(CSV, 'hexd')).toEqual([
      { name: 'host1', status: 'UP', currentConnections: 2, totalConnections: 21 },
      { name: 'host2', status: 'DOWN 1/2', currentConnections: 1, totalConnections: 19 },
    ]);
  });

  it('gives nothing for another backend, or an empty answer', () => {
    expect(parseServerStats(CSV, 'other')).toEqual([]);
    expect(parseServerStats('', 'hexd')).toEqual([]);
  });
});
