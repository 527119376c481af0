"""The blog's three Python servers, as benchmark peers for hexd.

Usage: python3 load/python_servers.py sync|threads|asyncio PORT   (PORT 0 picks a free one)

The serving code is the blog's (apetenchea/cdroot, source/_posts/python-asyncio/code/example-sync.py,
example-threads.py, example-asyncio.py) with only two changes: the port comes from the command line,
and once listening the server prints the ready line hexd's servers print, so the benchmark can start
it the same way. Nothing is fixed on purpose: one recv(1024) chunk is one request (no framing), the
decode sits outside the try, the backlog is the default, and a thread is started per client without
limit. Where that gives wrong answers (several requests in one chunk), the benchmark reports them.
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


def main(argv):
    if len(argv) != 2 or argv[0] not in ('sync', 'threads', 'asyncio') or not argv[1].isdigit():
        print('usage: python3 load/python_servers.py sync|threads|asyncio PORT', file=sys.stderr)
        return 2
    variant, port = argv[0], int(argv[1])
    if variant == 'sync':
        serve_sync(port)
    elif variant == 'threads':
        serve_threads(port)
    else:
        asyncio.run(serve_asyncio(port))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
