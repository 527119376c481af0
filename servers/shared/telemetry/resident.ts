// This process's resident bytes, for reports that must not throw.

let lastResidentBytes = 0;

/**
 * process.memoryUsage.rss(), which reads /proc/self/stat and so fails with EMFILE when the process is
 * out of descriptors: a report then carries the last figure read instead of taking the server down.
 */
export function residentBytes(): number {
  try {
    lastResidentBytes = process.memoryUsage.rss();
  } catch {
    // out of descriptors: the last figure stands
  }
  return lastResidentBytes;
}
