// The suite's own Redis on a spare port, with an append-only file as a production Redis keeps:
// a restart (SIGTERM, then start again) comes back with its queues, as the probe's did.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, portOpen, until } from './ports';

export class RedisServer {
  private child: ChildProcess | null = null;
  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  static async create(): Promise<RedisServer> {
    const server = new RedisServer(mkdtempSync(path.join(os.tmpdir(), 'hone-faults-redis-')), await freePort());
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes', '--save', '', '--maxmemory-policy', 'noeviction', '--daemonize', 'no'];
    const child = spawn(process.env.FAULTS_REDIS_SERVER ?? 'redis-server', args, { stdio: 'ignore' });
    this.child = child;
    await until(`redis-server on port ${this.port}`, async () => {
      if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode}) on port ${this.port}`);
      return portOpen(this.port);
    }, 20_000, 100);
  }

  /** SIGTERM: Redis writes its append-only file and exits, as `systemctl restart redis` does. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const hard = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(hard);
  }

  /** Kills the server (if running) and removes its folder. Never throws. */
  destroy(): void {
    if (this.child && this.child.exitCode === null) this.child.kill('SIGKILL');
    this.child = null;
    rmSync(this.dir, { recursive: true, force: true });
  }
}
