// HAProxy's runtime API on its admin socket: one command per connection, answered until HAProxy
// closes it. `show stat` gives each backend server's state and connection counts.

import net from 'node:net';
import { once } from 'node:events';

/** One backend server's line of `show stat`, the fields a fleet reads. */
export interface ServerStat {
  name: string;
  /** UP, DOWN, DRAIN, `UP 1/2` (going down), `DOWN 1/2` (coming up), MAINT, no check. */
  status: string;
  /** Connections open now. */
  currentConnections: number;
  /** Connections since HAProxy started. */
  totalConnections: number;
}

/** Sends one command and resolves with the whole answer. */
export async function runtimeCommand(socketPath: string, command: string): Promise<string> {
  const socket = net.connect(socketPath);
  let answer = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
  socket.end(`${command}\n`);
  await once(socket, 'close');
  return answer;
}

/** The `show stat` CSV, read by its header: the servers of backend `backend`, in config order. */
export function parseServerStats(csv: string, backend: string): ServerStat[] {
  const [header, ...rows] = csv.trim().split('\n');
  const columns = (header ?? '').replace(/^# /, '').split(',');
  const at = (name: string): number => columns.indexOf(name);
  const [proxy, server, status, current, total] = [at('pxname'), at('svname'), at('status'), at('scur'), at('stot')];
  return rows
    .map((row) => row.split(','))
    .filter((fields) => fields[proxy] === backend && fields[server] !== 'BACKEND' && fields[server] !== 'FRONTEND')
    .map((fields) => ({
      name: fields[server]!,
      status: fields[status]!,
      currentConnections: Number(fields[current]),
      totalConnections: Number(fields[total]),
    }));
}

export async function serverStats(socketPath: string, backend: string): Promise<ServerStat[]> {
  return parseServerStats(await runtimeCommand(socketPath, 'show stat'), backend);
}
