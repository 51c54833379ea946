/**
 * PyTorch as a persistent peer process (bench/torch_bench.py --serve): one JSON request per line
 * in, one JSON answer per line out. A suite asks it for one timing window at a time, so that it
 * can alternate tscnn's windows with PyTorch's (bench/interleave.ts) and both see the same
 * machine state; this VM's speed drifts by up to 1.5× over minutes (docs/measured.md, "Speed").
 *
 * PyTorch is optional: `TorchSession.peer()` answers null (and logs "torch: skipped — …" once)
 * when the Python has no torch, cannot start, or is not there.
 */
import { ChildProcessWithoutNullStreams, spawn } from 'child_process';
import { existsSync } from 'fs';
import { join } from 'path';
import { createInterface } from 'readline';

/** The Python with torch: TSCNN_TORCH_PYTHON, else Debian's /usr/bin/python3 (python3-torch). */
export function torchPython(): string {
  return process.env.TSCNN_TORCH_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
}

/** One conv2d pass of one case; shapes travel with it so conv.ts's case table is the only one. */
export interface TorchConvRequest {
  case: string;
  pass: 'fwd' | 'dx' | 'dw' | 'bwd';
  x: number[];
  w: number[];
  padding: number | readonly [number, number];
  /** Seconds the window lasts at least (the peer takes the median of its calls). */
  minTime: number;
}

/** LeNet-5 training steps (plain SGD lr 0.01); the peer answers the mean seconds per step. */
export interface TorchTrainRequest {
  case: 'lenet5';
  pass: 'train';
  batch: number;
  minTime: number;
}

export type TorchRequest = TorchConvRequest | TorchTrainRequest;

/** Seconds per call (conv: median; training: mean per step) and how many calls were timed. */
export interface TorchTiming {
  seconds: number;
  reps: number;
}

/** Generous: a window is seconds long; a peer silent this long is stuck, not slow. */
const ANSWER_TIMEOUT_MS = 300_000;
const STDERR_KEEP = 4000;

export class TorchPeer {
  /** PyTorch's version and thread count, from the peer's first line. */
  torch = '';
  threads = 0;
  private stderr = '';
  private failure?: Error;
  private readonly lines: AsyncIterator<string>;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly python: string,
  ) {
    // A failed spawn (no such Python) or a write to a peer that died surfaces as a missing
    // answer (nextLine), not as an unhandled 'error' event that would end the whole bench.
    child.on('error', (e) => (this.failure = e));
    child.stdin.on('error', (e) => (this.failure ??= e));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => (this.stderr = (this.stderr + s).slice(-STDERR_KEEP)));
    this.lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  }

  /** Start the peer; `{ skip }` says why there is no PyTorch (not installed, no Python, a crash). */
  static async start(python = torchPython()): Promise<TorchPeer | { skip: string }> {
    const child = spawn(python, [join(__dirname, 'torch_bench.py'), '--serve'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const peer = new TorchPeer(child, python);
    try {
      const hello = (await peer.nextLine()) as { ready?: boolean; skip?: string; torch?: string; threads?: number };
      if (hello.skip) {
        peer.close();
        return { skip: hello.skip };
      }
      if (!hello.ready) throw new Error(`unexpected first line ${JSON.stringify(hello)}`);
      peer.torch = hello.torch ?? '?';
      peer.threads = hello.threads ?? 0;
      return peer;
    } catch (e) {
      peer.close();
      return { skip: `${python}: ${(e as Error).message}` };
    }
  }

  /** One timing window; throws with the peer's message (which names the bad field) on an error answer. */
  async time(req: TorchRequest): Promise<TorchTiming> {
    this.child.stdin.write(JSON.stringify(req) + '\n');
    const a = (await this.nextLine()) as { seconds?: number; reps?: number; error?: string };
    if (a.error !== undefined) throw new Error(`torch peer, ${req.case}-${req.pass}: ${a.error}`);
    if (!(typeof a.seconds === 'number' && a.seconds > 0)) throw new Error(`torch peer, ${req.case}-${req.pass}: no time in ${JSON.stringify(a)}`);
    return { seconds: a.seconds, reps: a.reps ?? 0 };
  }

  /** Close stdin (the peer exits at end of input); kill it if it has not gone within a second. */
  close(): void {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.stdin.end();
    const t = setTimeout(() => this.child.kill(), 1000);
    t.unref();
    this.child.once('exit', () => clearTimeout(t));
  }

  /** The next JSON line, or an error carrying the last line of the peer's stderr when it exited or hung. */
  private async nextLine(): Promise<unknown> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.child.kill(); // a late answer would be taken for the next request's: end the peer
        reject(new Error(`no answer in ${ANSWER_TIMEOUT_MS / 1000} s`));
      }, ANSWER_TIMEOUT_MS);
    });
    try {
      const r = await Promise.race([this.lines.next(), timeout]);
      if (r.done) {
        if (this.failure) throw new Error(`cannot run the peer (${this.failure.message})`);
        throw new Error(`the peer exited (${this.stderr.trim().split('\n').pop() || `exit code ${this.child.exitCode}`})`);
      }
      try {
        return JSON.parse(r.value);
      } catch {
        throw new Error(`the peer printed a line that is not JSON: ${JSON.stringify(r.value.slice(0, 120))}`);
      }
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * One peer per `npm run bench`, started when a suite first asks and shared by the conv, train
 * and torch suites (importing torch takes seconds; paying it once keeps --quick quick). It also
 * remembers which row cases a suite measured interleaved, so the torch suite does not measure
 * them again, and the notes run.ts prints under the table's header.
 */
export class TorchSession {
  private started?: Promise<TorchPeer | null>;
  /** Row cases ('S1-fwd', 'lenet5-train') whose pytorch row a suite already reported. */
  readonly measured = new Set<string>();
  readonly notes: string[] = [];

  constructor(
    private readonly log: (line: string) => void,
    private readonly python = torchPython(),
  ) {}

  /** The running peer, or null when PyTorch is not available (the reason is logged once). */
  peer(): Promise<TorchPeer | null> {
    this.started ??= TorchPeer.start(this.python).then((p) => {
      if (p instanceof TorchPeer) {
        this.log(`torch: PyTorch ${p.torch}, ${p.threads} threads (${p.python})`);
        return p;
      }
      this.log(`torch: skipped — ${p.skip}`);
      return null;
    });
    return this.started;
  }

  async close(): Promise<void> {
    (await this.started)?.close();
  }
}
