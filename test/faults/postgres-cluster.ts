// The suite's own Postgres: a throw-away cluster (initdb) under os.tmpdir() on a spare port, so
// stopping and starting it hurts nobody else. initdb and postgres refuse to run as root, so as
// root every Postgres program runs as the `postgres` system user (runuser), which owns the folder.
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './ports';

function postgresBin(): string {
  if (process.env.FAULTS_PG_BIN) return process.env.FAULTS_PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'initdb'))) : [];
  if (!versions.length) throw new Error(`No Postgres server programs found under ${root}/*/bin (set FAULTS_PG_BIN to the folder holding initdb and pg_ctl).`);
  versions.sort((a, b) => Number(b) - Number(a));
  return path.join(root, versions[0], 'bin');
}

const asRoot = process.getuid?.() === 0;

function pgUser(): { uid: number; gid: number } {
  const r = spawnSync('id', ['-u', 'postgres']);
  const g = spawnSync('id', ['-g', 'postgres']);
  if (r.status !== 0) throw new Error('Running as root, and there is no `postgres` system user to run Postgres as (initdb refuses root).');
  return { uid: Number(String(r.stdout).trim()), gid: Number(String(g.stdout).trim()) };
}

export class PostgresCluster {
  readonly dir: string;
  readonly port: number;
  private readonly bin = postgresBin();

  private constructor(dir: string, port: number) {
    this.dir = dir;
    this.port = port;
  }

  /** initdb into a fresh temp folder and start it on a spare port (trust auth, user postgres). */
  static async create(): Promise<PostgresCluster> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hone-faults-pg-'));
    if (asRoot) {
      const { uid, gid } = pgUser();
      chownSync(dir, uid, gid);
    }
    const cluster = new PostgresCluster(dir, await freePort());
    cluster.run('initdb', ['-D', path.join(dir, 'data'), '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
    await cluster.start();
    return cluster;
  }

  get url(): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private run(program: string, args: string[]): string {
    const exe = path.join(this.bin, program);
    const r = asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', exe, ...args], { encoding: 'utf8' }) : spawnSync(exe, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${program} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
    return r.stdout;
  }

  /** Starts the server and waits until it accepts connections. fsync off: the suite tests restarts, not disks. */
  async start(): Promise<void> {
    const opts = `-p ${this.port} -c listen_addresses=127.0.0.1 -k ${this.dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
    this.run('pg_ctl', ['-D', path.join(this.dir, 'data'), '-l', path.join(this.dir, 'server.log'), '-o', opts, '-w', '-t', '60', 'start']);
  }

  /** A fast shutdown, as an operator's restart does: clients are disconnected (57P01), then it stops. */
  async stop(): Promise<void> {
    this.run('pg_ctl', ['-D', path.join(this.dir, 'data'), '-m', 'fast', '-w', '-t', '60', 'stop']);
  }

  /** Stops the server for good (if running) and removes its folder. Never throws. */
  destroy(): void {
    try {
      this.run('pg_ctl', ['-D', path.join(this.dir, 'data'), '-m', 'immediate', '-w', '-t', '30', 'stop']);
    } catch {
      /* already stopped */
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
