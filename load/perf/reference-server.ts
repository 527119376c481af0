// The ceiling for `npm run perf`: the plainest Node server that speaks hexd's protocol for
// plain numbers. No limits, no structure. Usage: node load/perf/reference-server.ts [PORT]   (0: a free one)
import net, { type AddressInfo } from 'node:net';
import { formatReadyLine } from '../../common/ready-line.ts';

const hex = (line: string): string => {
  try {
    const n = BigInt(line);
    return n < 0n ? `-0x${(-n).toString(16)}\n` : `0x${n.toString(16)}\n`;
  } catch {
    return 'error: not a decimal integer\n';
  }
};
const server = net.createServer({ noDelay: true }, (socket) => {
  let rest = '';
  socket.setEncoding('utf8').on('error', () => {}).on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop()!;
    if (lines.length > 0) socket.write(lines.map(hex).join(''));
  });
});
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  const { address, port } = server.address() as AddressInfo;
  console.log(formatReadyLine({ host: address, port, variant: 'reference', pid: process.pid }));
});
