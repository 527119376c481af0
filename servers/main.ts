// `npm run server -- <variant> [options]`. The command itself is command.ts, loaded only once the one
// thing that must come first is done: threads starts itself again with its runtime tuning
// (threads/runtime-tuning.ts), before the rest of the server is loaded twice for nothing.

// First, so that a signal during the start is noted from as early as can be (and not lost to a restart).
import { signalWhileStarting } from './shared/early-signals.ts';
import { restartTunedForThreads } from './threads/runtime-tuning.ts';

// A word `threads` anywhere: the variant is a positional, and a restart for another is harmless.
if (process.argv.slice(2).includes('threads') && signalWhileStarting() === undefined) restartTunedForThreads();
await import('./command.ts');
