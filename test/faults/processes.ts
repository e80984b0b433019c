// The app's processes under test: the web server (`next start` on a production build) and
// worker processes, each in its own process group so that
// kill -9 reaches the whole process and teardown leaves nothing behind. Their output is kept
// (the last lines are printed when a scenario fails).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { portOpen, sleep, until } from './ports';

export class AppProcess {
  private child: ChildProcess | null = null;
  private output: string[] = [];
  /** Set when the suite itself stops or kills it, so its exit is not taken for a crash. */
  private stoppedOnPurpose = false;

  constructor(
    readonly name: string,
    private readonly args: string[],
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** It exited without the suite asking it to. */
  get crashed(): boolean {
    return !!this.child && !this.running && !this.stoppedOnPurpose;
  }

  start(): void {
    if (this.running) throw new Error(`${this.name} is already running`);
    this.stoppedOnPurpose = false;
    const child = spawn(process.execPath, this.args, { env: this.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const keep = (c: Buffer) => {
      this.output.push(String(c));
      if (this.output.length > 400) this.output.splice(0, 200);
      if (process.env.FAULTS_VERBOSE) process.stderr.write(`[${this.name}] ${c}`);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.child = child;
  }

  /** The last `chars` characters it printed. */
  tail(chars = 3000): string {
    return this.output.join('').slice(-chars);
  }

  /** kill -9 of its whole process group, and waits for the exit. */
  async kill9(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** SIGTERM (its graceful shutdown), SIGKILL after 10 s. */
  async stop(): Promise<void> {
    await this.signal('SIGTERM', 10_000);
  }

  private async signal(sig: NodeJS.Signals, escalateMs?: number): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    this.stoppedOnPurpose = true;
    const exited = new Promise((r) => child.once('exit', r));
    const group = (s: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, s);
      } catch {
        /* already gone */
      }
    };
    group(sig);
    const hard = escalateMs ? setTimeout(() => group('SIGKILL'), escalateMs) : undefined;
    await exited;
    if (hard) clearTimeout(hard);
    group('SIGKILL'); // children the leader left behind
  }
}

/** The web server on `port`: `next start` on the production build in NEXT_DIST_DIR. */
export function webServer(port: number, env: NodeJS.ProcessEnv): AppProcess {
  const nextBin = path.resolve('node_modules/next/dist/bin/next');
  return new AppProcess('web', [nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'], { ...env, NODE_ENV: 'production' });
}

export function workerProcess(name: string, env: NodeJS.ProcessEnv): AppProcess {
  return new AppProcess(name, ['--import', 'tsx', 'worker/main.ts'], env);
}

/** Waits until the web server answers /api/health at all (200 or 503: it is up). */
export async function waitForWeb(web: AppProcess, port: number, timeoutMs = 180_000): Promise<number> {
  const t = Date.now();
  await until(`the web server on port ${port}`, async () => {
    if (!web.running) throw new Error(`the web server exited before answering:\n${web.tail()}`);
    if (!(await portOpen(port))) return false;
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(30_000) });
      return r.status === 200 || r.status === 503;
    } catch {
      await sleep(200);
      return false;
    }
  }, timeoutMs, 300);
  return Date.now() - t;
}
