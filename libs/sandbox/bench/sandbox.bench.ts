// Throughput of the script sandbox. Run:
//   node --no-node-snapshot -r @swc-node/register libs/sandbox/bench/sandbox.bench.ts
// The main benchmark imports runSandboxBench() and prints its figures with the others.
import { createHmac } from 'node:crypto';
import { ScriptSandbox } from '../src';
import type { ScriptInput } from '../src';

const SECRET = 'bench-secret';

function message(body: Buffer, headers: Record<string, string> = {}): ScriptInput {
  return {
    messageId: 'bench',
    method: 'POST',
    uri: 'git/push',
    query: {},
    headers: { 'content-type': 'application/json', ...headers },
    remoteAddr: '127.0.0.1',
    body,
    properties: [{ name: 'SECRET', value: SECRET, secret: true }],
  };
}

/** A GitHub-like push payload of about `bytes` bytes. */
function pushPayload(bytes: number): Buffer {
  const commits: object[] = [];
  const render = () => JSON.stringify({ ref: 'refs/heads/main', commits }, null, 1);
  for (let i = 0; render().length < bytes; i++) {
    commits.push({
      id: `c${i}`.padEnd(40, '0'),
      message: `change ${i}`,
      added: [`src/file-${i}.ts`],
      modified: [],
      removed: [],
    });
  }
  return Buffer.from(render());
}

/** Runs `total` runs with `concurrency` in flight; returns runs per second. */
async function throughput(
  total: number,
  concurrency: number,
  runOne: (i: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await runOne(next++);
    }),
  );
  return Math.round((total / (performance.now() - started)) * 1000);
}

function expectOk(outcome: { ok: boolean; error: unknown }, what: string): void {
  if (!outcome.ok) throw new Error(`${what} failed: ${JSON.stringify(outcome.error)}`);
}

/** Measures the sandbox and returns the figures by name (runs/s, ms per message). */
export async function runSandboxBench(): Promise<Record<string, number>> {
  const sandbox = new ScriptSandbox();
  const figures: Record<string, number> = {};
  try {
    // (a) the cost of a run itself
    const trivial = message(Buffer.from('{}'));
    await throughput(2000, 32, async () => expectOk(await sandbox.run('function', 'return 1', trivial), 'trivial'));
    figures['function_trivial_runs_per_s'] = await throughput(20000, 32, async () =>
      expectOk(await sandbox.run('function', 'return 1', trivial), 'trivial'),
    );

    // (b) a realistic function: parse a 64 KB JSON payload and check a GitHub signature over it
    const body = pushPayload(64 * 1024);
    const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
    const verifyScript = "if (!GITHUB.verify(SECRET)) throw new Error('bad signature'); return PAYLOAD.commits.length";
    // A fresh Buffer per message, as the service has: no decoding is shared between runs.
    const signedMessage = () =>
      message(Buffer.from(body), { 'x-hub-signature-256': signature, 'x-github-event': 'push' });
    await throughput(200, 16, async () =>
      expectOk(await sandbox.run('function', verifyScript, signedMessage()), 'verify'),
    );
    figures['function_64kb_payload_github_verify_runs_per_s'] = await throughput(4000, 16, async () =>
      expectOk(await sandbox.run('function', verifyScript, signedMessage()), 'verify'),
    );
    figures['payload_bytes'] = body.length;

    // (c) matching one message against 1, 10 and 100 providers, in turn as the matcher does;
    // each provider has its own script, and only the last one's header test passes.
    for (const providers of [1, 10, 100]) {
      const scripts = Array.from(
        { length: providers },
        (_, i) => `if (HTTP_HEADERS['x-provider'] !== 'p${i}') return false;\nreturn GITHUB.verify(SECRET);`,
      );
      const headers = { 'x-provider': `p${providers - 1}`, 'x-hub-signature-256': signature };
      const matchMessage = async () => {
        const input = message(Buffer.from(body), headers);
        let matched = 0;
        for (const script of scripts) {
          const outcome = await sandbox.run('match', script, input);
          expectOk(outcome, 'match');
          if (outcome.matched) matched += 1;
        }
        if (matched !== 1) throw new Error(`expected one provider to match, got ${matched}`);
      };
      for (let i = 0; i < 5; i++) await matchMessage();
      const rounds = Math.max(20, Math.round(2000 / providers));
      const started = performance.now();
      for (let i = 0; i < rounds; i++) await matchMessage();
      figures[`match_${providers}_providers_ms_per_message`] = Number(
        ((performance.now() - started) / rounds).toFixed(3),
      );
    }
  } finally {
    sandbox.dispose();
  }
  return figures;
}

if (require.main === module) {
  runSandboxBench().then(
    (figures) => {
      for (const [name, value] of Object.entries(figures)) console.log(`${name.padEnd(48)} ${value}`);
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
