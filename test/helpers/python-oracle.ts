// CPython as the reference for the protocol tests: one long-lived `python3` answers hex(int(...)) for a
// whole batch of raw lines sent in one write, so thousands of cases cost one process and a few ms.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';

/** What Python made of one input: its hex() string, or an error (UnicodeDecodeError or ValueError). */
export type OracleAnswer = { ok: string } | { err: true };

export interface OracleInfo {
  /** `sys.version`'s first word, e.g. `3.11.7`. */
  version: string;
  /** `unicodedata.unidata_version`, e.g. `14.0.0`. */
  unicodeVersion: string;
  /** `sys.get_int_max_str_digits()` after the script set it. */
  maxDigits: number;
}

/**
 * Zeros of decimal-digit scripts present for many Unicode versions, so Python 3.11 (Unicode 14) and Node
 * (a newer Unicode) agree on them. Each script's digits are zero + 0..9.
 */
export const LONG_STANDING_DIGIT_ZEROS: Readonly<Record<string, number>> = {
  ascii: 0x30,
  arabicIndic: 0x660,
  extendedArabicIndic: 0x6f0,
  devanagari: 0x966,
  bengali: 0x9e6,
  thai: 0xe50,
  fullwidth: 0xff10,
  mathBold: 0x1d7ce,
  mathDoubleStruck: 0x1d7d8,
  mathSansSerif: 0x1d7e2,
  mathSansSerifBold: 0x1d7ec,
  mathMonospace: 0x1d7f6,
};

/** Every digit of LONG_STANDING_DIGIT_ZEROS as a code point. */
export const LONG_STANDING_DIGITS: readonly number[] = Object.values(LONG_STANDING_DIGIT_ZEROS).flatMap(
  (zero) => Array.from({ length: 10 }, (_, d) => zero + d),
);

// Reads one JSON request per line from stdin, writes one JSON answer per line. `-I` (isolated) keeps
// PYTHONINTMAXSTRDIGITS and the user's site-packages out; the digit limit is then set explicitly.
const SCRIPT = String.raw`
import base64, json, sys, unicodedata
sys.set_int_max_str_digits(int(sys.argv[1]))
out = sys.stdout
def send(obj):
    out.write(json.dumps(obj) + "\n")
    out.flush()
send({"ready": True, "version": sys.version.split()[0], "unicode": unicodedata.unidata_version,
      "maxDigits": sys.get_int_max_str_digits()})
for line in sys.stdin.buffer:
    req = json.loads(line)
    if "b64" in req:
        try:
            send({"ok": hex(int(base64.b64decode(req["b64"]).decode("utf-8")))})
        except (UnicodeDecodeError, ValueError):
            send({"err": True})
    elif req.get("op") == "decimals":
        send({"decimals": [[cp, unicodedata.decimal(chr(cp))] for cp in range(0x110000)
                           if unicodedata.decimal(chr(cp), -1) >= 0]})
    else:
        raise SystemExit("unknown request: %r" % (req,))
`;

interface Pending {
  remaining: number;
  answers: unknown[];
  resolve: (answers: unknown[]) => void;
  reject: (err: Error) => void;
}

export class PythonOracle {
  readonly info: OracleInfo;
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #pending: Pending[];
  readonly #stderr: { text: string };

  private constructor(
    child: ChildProcessWithoutNullStreams,
    info: OracleInfo,
    pending: Pending[],
    stderr: { text: string },
  ) {
    this.#child = child;
    this.info = info;
    this.#pending = pending;
    this.#stderr = stderr;
  }

  /**
   * Starts `python3` (or $HEXD_PYTHON). Rejects with a message saying what to install when Python is
   * missing or too old: the differential tests must fail, never skip, without it.
   */
  static async start(maxDigits: number): Promise<PythonOracle> {
    const python = process.env.HEXD_PYTHON ?? 'python3';
    const child = spawn(python, ['-I', '-c', SCRIPT, String(maxDigits)], { stdio: ['pipe', 'pipe', 'pipe'] });
    const pending: Pending[] = [];
    const stderr = { text: '' };
    let failure: Error | null = null;
    const fail = (err: Error): void => {
      failure ??= err;
      for (const p of pending.splice(0)) p.reject(failure);
    };

    // The first "request" is the ready line the script prints on its own.
    const ready = new Promise<unknown[]>((resolve, reject) => {
      pending.push({ remaining: 1, answers: [], resolve, reject });
    });

    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      stderr.text += text;
    });
    child.stdin.on('error', () => {}); // EPIPE after an early exit; 'exit' reports it
    child.on('error', (err: NodeJS.ErrnoException) => {
      fail(
        new Error(
          err.code === 'ENOENT'
            ? `${python} was not found on PATH: the protocol's differential tests compare against CPython's ` +
              `int() and hex(); install Python 3.11 or newer (CI does) or point HEXD_PYTHON at one`
            : `could not start ${python}: ${err.message}`,
        ),
      );
    });
    child.on('exit', (code, signal) => {
      fail(new Error(`${python} exited (code ${code}, signal ${signal}): ${stderr.text.trim() || 'no stderr'}`));
    });

    let buffered = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      buffered += text;
      let nl = buffered.indexOf('\n');
      while (nl !== -1) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const head = pending[0];
        if (head === undefined) {
          fail(new Error(`${python} sent an answer nobody asked for: ${line.slice(0, 200)}`));
          return;
        }
        head.answers.push(JSON.parse(line));
        if (--head.remaining === 0) {
          pending.shift();
          head.resolve(head.answers);
        }
        nl = buffered.indexOf('\n');
      }
    });

    const [hello] = (await ready) as [{ version: string; unicode: string; maxDigits: number }];
    const info: OracleInfo = { version: hello.version, unicodeVersion: hello.unicode, maxDigits: hello.maxDigits };
    const [major = 0, minor = 0] = info.version.split('.').map(Number);
    if (major < 3 || (major === 3 && minor < 11)) {
      child.kill();
      throw new Error(`${python} is Python ${info.version}; the oracle needs 3.11 or newer (int digit limit)`);
    }
    return new PythonOracle(child, info, pending, stderr);
  }

  /** Python's `hex(int(bytes.decode('utf-8')))` for each input, all sent in one write. */
  async hexOf(inputs: readonly Uint8Array[]): Promise<OracleAnswer[]> {
    if (inputs.length === 0) return [];
    const payload = inputs
      .map((bytes) => `${JSON.stringify({ b64: Buffer.from(bytes).toString('base64') })}\n`)
      .join('');
    const answers = await this.#request(inputs.length, payload);
    return answers.map((a) => {
      const answer = a as Partial<{ ok: string; err: boolean }>;
      return typeof answer.ok === 'string' ? { ok: answer.ok } : { err: true };
    });
  }

  /** Every code point Python's unicodedata.decimal() knows, with its value. */
  async decimalDigits(): Promise<Map<number, number>> {
    const [answer] = (await this.#request(1, '{"op": "decimals"}\n')) as [{ decimals: [number, number][] }];
    return new Map(answer.decimals);
  }

  async close(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = once(this.#child, 'exit');
    this.#child.stdin.end();
    await exited;
  }

  #request(count: number, payload: string): Promise<unknown[]> {
    if (this.#child.exitCode !== null) {
      return Promise.reject(new Error(`python exited: ${this.#stderr.text.trim() || 'no stderr'}`));
    }
    const answer = new Promise<unknown[]>((resolve, reject) => {
      this.#pending.push({ remaining: count, answers: [], resolve, reject });
    });
    this.#child.stdin.write(payload);
    return answer;
  }
}
