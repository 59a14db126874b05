import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = join(__dirname, '../../scripts/kafka/kafka.sh');

/**
 * A Kafka broker of a test's own (from scripts/kafka/kafka.sh), which the test may stop and start
 * again to play a broker outage without disturbing the suite's shared broker.
 */
export class KafkaBroker {
  private readonly stateDir = mkdtempSync(join(tmpdir(), 'hookline-test-kafka-'));

  constructor(readonly port: number) {}

  get brokers(): string {
    return `127.0.0.1:${this.port}`;
  }

  private env() {
    return {
      ...process.env,
      KAFKA_PORT: String(this.port),
      KAFKA_CONTROLLER_PORT: String(this.port + 1),
      KAFKA_STATE_DIR: this.stateDir,
      KAFKA_HEAP_OPTS: '-Xms128m -Xmx384m',
    };
  }

  async start(): Promise<void> {
    await run('bash', [SCRIPT, 'start'], { env: this.env(), timeout: 120_000 });
  }

  async stop(): Promise<void> {
    await run('bash', [SCRIPT, 'stop'], { env: this.env(), timeout: 60_000 });
  }

  async destroy(): Promise<void> {
    await this.stop().catch(() => undefined);
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}
