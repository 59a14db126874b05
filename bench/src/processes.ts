import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const REPO_ROOT = resolve(__dirname, '../..');

export type AppName = 'ingress' | 'matcher' | 'executor' | 'admin-api' | 'embedded' | 'reference';

/** How each app is started: Hookline's compiled output, or the bench's own reference server. */
const entryArgs = (app: AppName): string[] =>
  app === 'reference' ? ['-r', '@swc-node/register', 'bench/src/reference/server.ts'] : npmStartArgs(app);

/**
 * The Node flags and entry point of `npm start` (embedded) or `npm run start:<app>`, read from
 * package.json so the bench runs each process as they do (the embedded process's memory flags
 * among them). The one flag left out silences Node's negative-timer warning: the bench reports it.
 */
function npmStartArgs(app: Exclude<AppName, 'reference'>): string[] {
  const { scripts } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string | undefined>;
  };
  const name = app === 'embedded' ? 'start' : `start:${app}`;
  const words = (scripts[name] ?? '').trim().split(/\s+/);
  if (words[0] !== 'node' || words.at(-1) !== `dist/apps/${app}/src/main.js`) {
    throw new Error(`package.json's "${name}" script is not "node <flags> dist/apps/${app}/src/main.js"`);
  }
  return words.slice(1).filter((word) => word !== '--disable-warning=TimeoutNegativeWarning');
}

/** Hookline variables never inherited from the bench's own environment: each service gets its own. */
const OWN_VARIABLES = [
  'DATABASE_URL',
  'KAFKA_BROKERS',
  'DATA_DIR',
  'PORT',
  'HOST',
  'INSTANCE_ID',
  'ADMIN_TOKEN',
  'LOG_LEVEL',
];

/** Children still running, killed outright if the bench exits without stopping them. */
const live = new Set<ChildProcess>();
process.on('exit', () => live.forEach((child) => child.kill('SIGKILL')));

/** One Hookline process started as `npm run start:<app>` would, with its output in log files. */
export class Service {
  private exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private stopping = false;
  /** Set once it answered ready: a death before that is waitReady()'s to report. */
  ready = false;
  private readonly exited: Promise<void>;

  constructor(
    readonly name: string,
    readonly url: string,
    readonly logs: { stdout: string; stderr: string },
    private readonly child: ChildProcess,
    onCrash: (service: Service, how: string) => void,
  ) {
    live.add(child);
    this.exited = new Promise((done) =>
      child.once('exit', (code, signal) => {
        live.delete(child);
        this.exit = { code, signal };
        if (!this.stopping) onCrash(this, this.exitDescription());
        done();
      }),
    );
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.exit === null;
  }

  exitDescription(): string {
    if (!this.exit) return 'running';
    return this.exit.signal ? `killed by ${this.exit.signal}` : `exited with code ${this.exit.code}`;
  }

  /** Resolves once GET /health/ready answers 200; fails early, with the log's end, if the process dies. */
  async waitReady(timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.running) throw new Error(`${this.name} ${this.exitDescription()} while starting:\n${this.logTail()}`);
      try {
        const response = await fetch(`${this.url}/health/ready`, { signal: AbortSignal.timeout(2000) });
        await response.arrayBuffer();
        if (response.status === 200) {
          this.ready = true;
          return;
        }
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) throw new Error(`${this.name} not ready after ${timeoutMs} ms:\n${this.logTail()}`);
      await sleep(250);
    }
  }

  /** SIGTERM (Nest's shutdown hooks close the bus and database), SIGKILL if it lingers. */
  async stop(graceMs = 15_000): Promise<void> {
    this.stopping = true;
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Kills it at once, as a crash would (SIGKILL by default); an expected end, not reported as a crash. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    this.stopping = true;
    if (!this.running) return;
    this.child.kill(signal);
    await this.exited;
  }

  /** CPU time it has used so far (user + system), from /proc; NaN once it is gone. */
  cpuMs(): number {
    return readCpuMs(this.pid);
  }

  /** Resident memory now and at its highest so far, from /proc. */
  memory(): { rssMb: number; peakMb: number } | null {
    return readMemory(this.pid);
  }

  logTail(lines = 30): string {
    const read = (file: string) => {
      try {
        return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      } catch {
        return '';
      }
    };
    return [read(this.logs.stdout), read(this.logs.stderr)].filter(Boolean).join('\n') || '(no output)';
  }
}

export interface ServiceSpec {
  name: string;
  app: AppName;
  env: Record<string, string>;
  logDir: string;
  onCrash: (service: Service, how: string) => void;
}

/**
 * With BENCH_CPU_PROF_DIR set, each service writes a V8 CPU profile there when it stops (Node
 * refuses `--cpu-prof` in NODE_OPTIONS, so it cannot come through the environment).
 */
function profileArgs(name: string): string[] {
  const dir = process.env.BENCH_CPU_PROF_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`] : [];
}

/**
 * Spawns the compiled `dist/apps/<app>/src/main.js` (`npm run bench` builds first), or the reference
 * server, on a free port.
 */
export async function spawnService(spec: ServiceSpec): Promise<Service> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of OWN_VARIABLES) delete env[name];
  Object.assign(env, { HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...spec.env });
  const logs = { stdout: join(spec.logDir, `${spec.name}.out.log`), stderr: join(spec.logDir, `${spec.name}.err.log`) };
  const out = openSync(logs.stdout, 'a');
  const err = openSync(logs.stderr, 'a');
  try {
    const args = [...profileArgs(spec.name), ...entryArgs(spec.app)];
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', out, err] });
    return new Service(spec.name, `http://127.0.0.1:${port}`, logs, child, spec.onCrash);
  } finally {
    closeSync(out);
    closeSync(err);
  }
}

/** utime + stime of a process in ms (fields 14 and 15 of /proc/<pid>/stat, in clock ticks of 10 ms). */
export function readCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces: fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/** VmRSS and VmHWM of a process in MB, or null once it is gone. */
export function readMemory(pid: number): { rssMb: number; peakMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** A port nobody listens on right now (the OS picks it; the child binds it a moment later). */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? done(address.port) : fail(new Error('no port'))));
    });
  });
}
