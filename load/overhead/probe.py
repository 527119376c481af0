"""npm run overhead's Python side: what one thread and one asyncio task cost to bring up and to keep.

Usage: python3 load/overhead/probe.py threads|tasks COUNT

Starts COUNT units that each wait on an event, reads this process's RSS before and after (Linux
/proc/self/status), then releases and joins them. Prints one JSON line:
  {"unit", "count", "rssBeforeKb", "rssAfterKb", "bringUpUs": [per unit] or "totalUs", "python"}
A thread's bring-up is Thread.start(), which returns once the new thread runs; tasks are created in
one go and timed until every one has started running, so their figure is the total over COUNT.
"""

import asyncio
import json
import sys
import threading
import time


def rss_kb():
    with open('/proc/self/status') as status:
        for line in status:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    return 0


def measure_threads(count):
    release = threading.Event()
    # One first, not counted: what every thread shares is then already there.
    first = threading.Thread(target=release.wait)
    first.start()
    time.sleep(0.1)
    before = rss_kb()
    bring_up_us = []
    threads = []
    for _ in range(count):
        t0 = time.perf_counter_ns()
        thread = threading.Thread(target=release.wait)
        thread.start()
        bring_up_us.append((time.perf_counter_ns() - t0) / 1000)
        threads.append(thread)
    time.sleep(0.2)
    after = rss_kb()
    release.set()
    for thread in [first, *threads]:
        thread.join()
    return {'unit': 'python-thread', 'count': count, 'rssBeforeKb': before, 'rssAfterKb': after, 'bringUpUs': bring_up_us}


async def measure_tasks(count):
    release = asyncio.Event()
    running = 0

    async def unit():
        nonlocal running
        running += 1
        await release.wait()

    first = asyncio.create_task(unit())
    await asyncio.sleep(0)
    before = rss_kb()
    t0 = time.perf_counter_ns()
    tasks = [asyncio.create_task(unit()) for _ in range(count)]
    while running < count + 1:
        await asyncio.sleep(0)
    total_us = (time.perf_counter_ns() - t0) / 1000
    after = rss_kb()
    release.set()
    await asyncio.gather(first, *tasks)
    return {'unit': 'asyncio-task', 'count': count, 'rssBeforeKb': before, 'rssAfterKb': after, 'totalUs': total_us}


def main(argv):
    if len(argv) != 2 or argv[0] not in ('threads', 'tasks') or not argv[1].isdigit() or int(argv[1]) < 1:
        print('usage: python3 load/overhead/probe.py threads|tasks COUNT', file=sys.stderr)
        return 2
    count = int(argv[1])
    result = measure_threads(count) if argv[0] == 'threads' else asyncio.run(measure_tasks(count))
    result['python'] = sys.version.split()[0]
    print(json.dumps(result), flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
