// The client against a real server: an `error: ` reply is a failure, said on stderr, with status 1.

import { expect, it } from 'vitest';
import { NODE, spawnServer } from '../helpers/servers.ts';
import { run } from '../helpers/processes.ts';

const client = (port: number, args: string[], input = '') => run(NODE, ['client/main.ts', '--port', String(port), ...args], input);

it('an error reply among numbers: the replies on stdout, one line on stderr that counts the errors, exit 1', async () => {
  const hexd = await spawnServer(['event-loop', '--port', '0']);
  expect(await client(hexd.port, ['1', 'x'])).toEqual({
    code: 1,
    stdout: '0x1\nerror: not a decimal integer: "x"\n',
    stderr: 'hexd-client: 1 of 2 replies was an error (the "error: " line says why)\n',
  });
  expect(await client(hexd.port, [], '1\nx\ny\n')).toEqual({
    code: 1,
    stdout: '0x1\nerror: not a decimal integer: "x"\nerror: not a decimal integer: "y"\n',
    stderr: 'hexd-client: 2 of 3 replies were errors (the "error: " lines say why)\n',
  });
});

it('every reply a number: nothing on stderr, exit 0', async () => {
  const hexd = await spawnServer(['event-loop', '--port', '0']);
  expect(await client(hexd.port, ['1', '2'])).toEqual({ code: 0, stdout: '0x1\n0x2\n', stderr: '' });
});
