import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { freePort, HooklineProcess } from './harness/child-process';

const run = promisify(execFile);
const TOKEN = 'cli-test-token';

/** `hookline export | diff | apply` against a running instance: configuration kept as files. */
describe('the hookline CLI', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hookline-cli-'));
  const folder = mkdtempSync(join(tmpdir(), 'hookline-cli-config-'));
  let base: string;
  let hookline: HooklineProcess;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    hookline = new HooklineProcess('apps/embedded/src/main.ts', {
      PORT: String(port),
      DATA_DIR: dataDir,
      ADMIN_TOKEN: TOKEN,
    });
    await hookline.start(`${base}/health/ready`);
  });
  afterAll(async () => {
    await hookline?.kill();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(folder, { recursive: true, force: true });
  });

  const cli = async (...args: string[]) =>
    (
      await run(process.execPath, ['dist/apps/cli/src/main.js', ...args], {
        cwd: join(__dirname, '..'),
        env: { ...process.env, HOOKLINE_URL: base, HOOKLINE_TOKEN: TOKEN, HOOKLINE_SECRET_GIT_TOKEN: 's3cret-2' },
      })
    ).stdout;
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return res.json();
  };

  it('exports, plans, applies idempotently, reorders and prunes', async () => {
    const git = await api('POST', '/providers', {
      name: 'Git',
      matchScript: "return HTTP_HEADERS['x-git'] === 'yes'",
      properties: [
        { name: 'token', value: 's3cret', secret: true },
        { name: 'team', value: 'core' },
      ],
    });
    await api('POST', '/functions', { name: 'Deploy', providerId: git.id, uri: 'git/push', script: 'return 1' });
    await api('POST', '/functions', { name: 'Notify', providerId: git.id, uri: 'git/push', script: 'return 2' });
    await api('POST', '/providers', { name: 'Catch all', matchScript: 'return true' });

    expect(await cli('export', folder)).toMatch(/exported 2 providers and 2 functions/);
    const index = readFileSync(join(folder, 'hookline.yaml'), 'utf8');
    expect(index).not.toContain('s3cret');
    expect(index).toContain('fromEnv: HOOKLINE_SECRET_GIT_TOKEN');
    expect(readFileSync(join(folder, 'providers/git/functions/deploy.js'), 'utf8')).toBe('return 1\n');
    expect(await cli('diff', folder)).toMatch(/^no changes$/m);

    // Edit the folder: a script changes, a function goes, a provider comes first, the order flips.
    writeFileSync(join(folder, 'providers/git/functions/deploy.js'), 'return 10\n');
    const config = parse(index);
    config.providers[0].functions = config.providers[0].functions.filter(
      (fn: { name: string }) => fn.name !== 'Notify',
    );
    writeFileSync(join(folder, 'providers/stripe.js'), "return !!HTTP_HEADERS['stripe-signature']\n");
    config.providers = [
      {
        name: 'Stripe',
        description: null,
        active: true,
        matchScript: 'providers/stripe.js',
        properties: [],
        functions: [],
      },
      config.providers[1],
      config.providers[0],
    ];
    writeFileSync(join(folder, 'hookline.yaml'), stringify(config));

    const plan = await cli('diff', folder, '--prune');
    expect(plan).toContain("would create provider 'Stripe'");
    expect(plan).toContain("would update function 'Git/Deploy' (script)");
    expect(plan).toContain("would deactivate function 'Git/Notify'");
    expect(plan).toContain('would reorder providers: Stripe, Catch all, Git');
    expect((await api('GET', '/providers')).map((p: { name: string }) => p.name)).toEqual(['Git', 'Catch all']);

    expect(await cli('apply', folder, '--prune')).toMatch(/4 change\(s\) applied/);
    const providers = await api('GET', '/providers');
    expect(providers.map((p: { name: string }) => p.name)).toEqual(['Stripe', 'Catch all', 'Git']);
    const functions = await api('GET', `/functions?providerId=${git.id}`);
    expect(
      functions.map((fn: { name: string; active: boolean; script: string }) => [fn.name, fn.active, fn.script]),
    ).toEqual([
      ['Deploy', true, 'return 10'],
      ['Notify', false, 'return 2'],
    ]);
    // The secret was never in the folder and is still stored.
    expect(providers[2].properties).toEqual([
      { name: 'token', value: '****', secret: true },
      { name: 'team', value: 'core', secret: false },
    ]);

    expect(await cli('apply', folder, '--prune')).toMatch(/^no changes$/m);
    // A stored secret is rewritten from its variable only when asked.
    expect(await cli('diff', folder, '--update-secrets')).toContain("would update provider 'Git' (properties)");
  });
});
