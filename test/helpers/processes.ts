// Child processes for end-to-end tests: run a command to its end, or drive one through its output.

import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { once } from 'node:events';
import { onTestFinished } from 'vitest';
import { killTree } from './kill-tree.ts';
import { ROOT } from './servers.ts';

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command with `input` on stdin and resolves when it exits. */
export async function run(command: string, args: readonly string[], input = '', options: SpawnOptions = {}): Promise<Finished> {
  const child = spawn(command, args, { cwd: ROOT, stdio: 'pipe', ...options });
  onTestFinished(() => killTree(child));
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  child.stdin!.end(input);
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

/** A running program whose output a test awaits piece by piece. */
export class Driven {
  readonly child: ChildProcess;
  /** stdout and stderr as they came; `stdout` alone below. */
  output = '';
  stdout = '';
  readonly exited: Promise<number | null>;
  /** Set when the program has exited and its output is all read. */
  #closed = false;
  #waiters: { text: string; stdoutOnly: boolean; resolve: () => void; reject: (error: Error) => void }[] = [];

  constructor(command: string, args: readonly string[], options: SpawnOptions = {}) {
    this.child = spawn(command, args, { cwd: ROOT, stdio: 'pipe', ...options });
    this.exited = once(this.child, 'close').then(([code]) => code as number | null);
    onTestFinished(() => killTree(this.child));
    const collect = (text: string) => {
      this.output += text;
      this.#waiters = this.#waiters.filter((waiter) => {
        if (!(waiter.stdoutOnly ? this.stdout : this.output).includes(waiter.text)) return true;
        waiter.resolve();
        return false;
      });
    };
    this.child.stdout!.setEncoding('utf8').on('data', (text: string) => {
      this.stdout += text;
      collect(text);
    });
    this.child.stderr!.setEncoding('utf8').on('data', collect);
    // A program that ends before printing what a test awaits fails that test at once, with its output.
    void this.exited.then((code) => {
      this.#closed = true;
      for (const waiter of this.#waiters) {
        waiter.reject(new Error(`${command} exited with ${code} before printing ${JSON.stringify(waiter.text)}; it printed:\n${this.output}`));
      }
      this.#waiters = [];
    });
  }

  /**
   * Resolves once the program's output (stdout and stderr, or stdout only) contains `text`; rejects,
   * showing what it printed, if the program exits first.
   */
  waitFor(text: string, stream: 'all' | 'stdout' = 'all'): Promise<void> {
    const stdoutOnly = stream === 'stdout';
    if ((stdoutOnly ? this.stdout : this.output).includes(text)) return Promise.resolve();
    if (this.#closed) return Promise.reject(new Error(`${this.child.spawnargs.join(' ')} has exited; it printed:\n${this.output}`));
    return new Promise((resolve, reject) => this.#waiters.push({ text, stdoutOnly, resolve, reject }));
  }

  write(text: string): void {
    this.child.stdin!.write(text);
  }

  end(): void {
    this.child.stdin!.end();
  }
}
