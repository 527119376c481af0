// --delay-ms: each reply waits on a timer, as if on a database, one request after another per connection.

import { describe, expect, it } from 'vitest';
import { VARIANTS } from '../../servers/shared/options.ts';
import { LineClient } from '../../common/line-client.ts';
import { startServer } from '../helpers/servers.ts';

describe.each(VARIANTS)('%s with --delay-ms', (variant) => {
  it('answers pipelined lines in order, each after its delay, errors included', async () => {
    const { port } = await startServer(variant, { delayMs: 5 });
    const client = await LineClient.connect(port);
    client.send('1\nx\n3\n');
    client.send('4312');
    client.end();
    expect(await client.rest()).toEqual(['0x1', 'error: not a decimal integer: "x"', '0x3', '0x10d8']);
  });
});
