"""The blog's three Python servers, as benchmark peers for hexd.

Usage: python3 load/harness/python_servers.py sync|threads|asyncio|asyncio-lines|uvloop-lines PORT   (PORT 0 picks a free one)

The serving code is the blog's (apetenchea/cdroot, source/_posts/python-asyncio/code/example-sync.py,
example-threads.py, example-asyncio.py) with only two changes: the port comes from the command line,
and once listening the server prints the ready line hexd's servers print, so the benchmark can start
it the same way. Nothing is fixed on purpose: one recv(1024) chunk is one request (no framing), the
decode sits outside the try, the backlog is the default, and a thread is started per client without
limit. Where that gives wrong answers (several requests in one chunk), the benchmark reports them.

asyncio-lines and uvloop-lines are not the blog's: they are what a careful asyncio server looks like,
framed by line (readline) as hexd is, so pipelined requests are answered right. `npm run bench --
--perf` measures hexd's event loop against them. uvloop-lines needs uvloop (Debian: python3-uvloop,
which installs into /usr/bin/python3); Debian's 0.17 has no uvloop.run(), so it installs the policy.
"""

import asyncio
import os
import socket
import sys
import threading

HOST = '127.0.0.1'


def ready(port, variant):
    print(f'listening on {HOST}:{port} (python-{variant}, pid {os.getpid()})', flush=True)


# example-sync.py and example-threads.py: the per-client loop, word for word.
def handle_client(conn):
    with conn:
        while True:
            payload = conn.recv(1024)
            if not payload:
                break
            num = payload.decode('utf-8')
            try:
                result = hex(int(num))
            except ValueError:
                result = 'Request payload must be an integer'
            result += '\n'
            conn.sendall(result.encode('utf-8'))


def serve_sync(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, port))
        s.listen()
        ready(s.getsockname()[1], 'sync')
        while True:
            conn, _ = s.accept()
            handle_client(conn)


def serve_threads(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, port))
        s.listen()
        ready(s.getsockname()[1], 'threads')
        while True:
            conn, _ = s.accept()
            client = threading.Thread(target=handle_client, args=(conn,))
            client.start()


# example-asyncio.py
async def handle_client_async(reader, writer):
    while True:
        payload = await reader.read(1024)
        if not payload:
            break
        num = payload.decode('utf-8')
        try:
            result = hex(int(num))
        except ValueError:
            result = 'Request payload must be an integer'
        result += '\n'
        writer.write(result.encode('utf-8'))
        await writer.drain()
    writer.close()
    await writer.wait_closed()


async def serve_asyncio(port):
    server = await asyncio.start_server(handle_client_async, HOST, port)
    ready(server.sockets[0].getsockname()[1], 'asyncio')
    async with server:
        await server.serve_forever()


# asyncio-lines and uvloop-lines: one request per line, one reply per request, in order.
async def handle_lines(reader, writer):
    try:
        while True:
            line = await reader.readline()
            if not line:
                break
            try:
                result = hex(int(line))
            except ValueError:
                result = 'error: not a decimal integer'
            writer.write(f'{result}\n'.encode())
            await writer.drain()
    except (ConnectionError, ValueError):
        pass  # a reset, or a line past readline's limit: this client is done
    finally:
        writer.close()


async def serve_lines(port, variant):
    server = await asyncio.start_server(handle_lines, HOST, port)
    ready(server.sockets[0].getsockname()[1], variant)
    async with server:
        await server.serve_forever()


VARIANTS = ('sync', 'threads', 'asyncio', 'asyncio-lines', 'uvloop-lines')


def main(argv):
    if len(argv) != 2 or argv[0] not in VARIANTS or not argv[1].isdigit():
        print(f'usage: python3 load/harness/python_servers.py {"|".join(VARIANTS)} PORT', file=sys.stderr)
        return 2
    variant, port = argv[0], int(argv[1])
    if variant == 'sync':
        serve_sync(port)
    elif variant == 'threads':
        serve_threads(port)
    elif variant == 'asyncio':
        asyncio.run(serve_asyncio(port))
    else:
        if variant == 'uvloop-lines':
            try:
                import uvloop  # only this variant needs it
            except ImportError:
                print(f'{sys.executable} has no uvloop (Debian: apt-get install python3-uvloop)', file=sys.stderr)
                return 1
            uvloop.install()
        asyncio.run(serve_lines(port, variant))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
