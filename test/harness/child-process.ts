import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');

/** A Hookline process started the way `npm start` starts it: the compiled entry under dist/ (the test scripts build first). */
export class HooklineProcess {
  private child: ChildProcess | null = null;
  output = '';

  constructor(
    private readonly entry: string,
    private readonly env: Record<string, string>,
  ) {}

  async start(readyUrl: string, timeoutMs = 60_000): Promise<void> {
    this.output = '';
    const compiled = join('dist', this.entry.replace(/\.ts$/, '.js'));
    this.child = spawn(
      process.execPath,
      ['--enable-source-maps', '--no-node-snapshot', '--disable-warning=TimeoutNegativeWarning', compiled],
      {
        cwd: ROOT,
        // Only what the test gives: CI's DATABASE_URL and KAFKA_BROKERS would turn the embedded mode distributed.
        env: { ...withoutServices(process.env), LOG_LEVEL: 'warn', ...this.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child.stdout!.on('data', (chunk) => (this.output += chunk));
    this.child.stderr!.on('data', (chunk) => (this.output += chunk));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.child.exitCode !== null || this.child.signalCode !== null)
        throw new Error(`process exited (${this.child.exitCode}):\n${this.output}`);
      const ok = await fetch(readyUrl).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`not ready within ${timeoutMs} ms:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** How the process ended: its exit code, or the signal that ended it; null while it runs. */
  get exit(): { code: number | null; signal: NodeJS.Signals | null } | null {
    const child = this.child;
    if (!child || (child.exitCode === null && child.signalCode === null)) return null;
    return { code: child.exitCode, signal: child.signalCode };
  }

  /** Sends a signal without waiting for what it does. */
  signal(signal: NodeJS.Signals): void {
    this.child?.kill(signal);
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed by the process. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

function withoutServices(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { DATABASE_URL: _db, KAFKA_BROKERS: _kafka, ...rest } = env;
  return rest;
}
