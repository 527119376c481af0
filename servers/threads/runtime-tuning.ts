// threads needs two V8 flags that only a command line can set, and a malloc setting that only the
// environment at start can set, so it starts itself again with them, in the same process (execve:
// same pid, same stdio, the same environment plus that setting).
//
// A Worker is a V8 isolate, and threads starts and ends them all day. On Node 26 an ending isolate
// hands its heap pages to a process-wide pool, to be freed by a task posted to another isolate 8 s
// later, which often never runs (that isolate is a Worker that ends first); the compiler's zones come
// from malloc; and glibc gives threads up to 8 arenas a core, each keeping what its ended threads
// freed. So RSS after a churn kept much of every Worker that had run at once: 1,000 short clients, 8
// at a time, left 104-198 MB, 20,000 more 138-211 MB. With the flags an ending Worker's pages and zones
// go back to the system, and two arenas share the rest: 112-122 MB after 1,000, after 1,000 more and
// after 20,000 more alike (load/perf/churn-memory.ts). Set later, from JavaScript, V8 ignores the
// first flag and aborts on the second.
export const THREADS_V8_FLAGS = ['--no-memory-pool-share-memory-on-teardown', '--managed-zone-memory'] as const;
const MALLOC_ARENAS = '2';

/** Returns only if the flags are already set, or where it cannot restart (no execve, or it failed): then threads runs as started. */
export function restartTunedForThreads(): void {
  const missing = THREADS_V8_FLAGS.filter((flag) => !process.execArgv.includes(flag));
  if (missing.length === 0) return;
  const env = { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? MALLOC_ARENAS };
  try {
    process.execve?.(process.execPath, [process.execPath, ...process.execArgv, ...missing, ...process.argv.slice(1)], env);
  } catch (err) {
    process.stderr.write(`hexd: warning: could not restart with ${missing.join(' ')} (${(err as Error).message}): Workers that end leave memory behind\n`);
  }
}
