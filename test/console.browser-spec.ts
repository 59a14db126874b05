import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { v7 as uuidv7 } from 'uuid';
import { Topics } from '@hookline/contracts';
import { DeadLetterStore } from '@hookline/persistence';
import { chromiumAvailable, launchChromium } from './harness/browser';
import { ADMIN_TOKEN, startEmbeddedSystem, type System } from './harness/system';

const SECRET = 'browser-test-secret';
/** `CONSOLE_SCREENSHOTS=docs/console npm run test:browser` refreshes the README's pictures. */
const SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS;

const suite = chromiumAvailable() ? describe : describe.skip;

suite('the console in a real browser, against the embedded process', () => {
  let system: System;
  let browser: Browser;
  let page: Page;
  let messageId: string;

  const api = async (method: string, path: string, body?: unknown, token = ADMIN_TOKEN) => {
    const response = await fetch(`${system.adminUrl}/api/v1/${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? undefined : response.json();
  };
  const shot = async (name: string) => {
    if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  };
  const signIn = async (token: string) => {
    await page.goto(`${system.adminUrl}/`);
    await page.getByLabel('Admin or API token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Messages' }).waitFor();
  };

  beforeAll(async () => {
    if (!existsSync(join(__dirname, '../apps/console/dist/index.html'))) {
      throw new Error('the console is not built: run `npm run build:console` (npm install does it)');
    }
    if (SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });
    system = await startEmbeddedSystem({ SECRETS_KEYS: `browser:${randomBytes(32).toString('base64')}` });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(10_000);
    page.on('dialog', (dialog) => void dialog.accept());
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('is served at / and signs in with a pasted token', async () => {
    await page.goto(`${system.adminUrl}/`);
    await shot('sign-in');
    await page.getByLabel('Admin or API token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page.getByRole('alert'), 'That token is not valid.');

    await signIn(ADMIN_TOKEN);

    await expectText(page.getByTestId('session'), 'admin · admin · details');
    await expectText(page.getByTestId('live-status'), 'Live');
  });

  it('creates a provider from the GitHub template and adds a function', async () => {
    await page.getByRole('link', { name: 'Providers' }).click();
    await page.getByLabel('Template').selectOption({ label: 'GitHub' });
    await page.getByLabel('WEBHOOK_SECRET').fill(SECRET);
    await page.getByRole('button', { name: 'Create provider' }).click();
    await page.getByRole('heading', { name: 'GitHub' }).waitFor();
    expect(await page.getByLabel('Match script').textContent()).toContain('GITHUB.verify(WEBHOOK_SECRET)');

    await page.getByLabel('Name', { exact: true }).last().fill('Deploy');
    await page.getByLabel(/^URI/).fill('git/push');
    await page
      .getByLabel('Script', { exact: true })
      .fill("LOG.info('push to ' + PAYLOAD.ref);\nreturn { deployed: PAYLOAD.ref };");
    await page.getByRole('button', { name: 'Add function' }).click();
    await page.getByRole('heading', { name: 'Deploy' }).waitFor();
  });

  it('shows a syntax error of a script at its line and column', async () => {
    await page.getByLabel('Script', { exact: true }).fill('const ok = 1;\nreturn {;');
    await page.getByRole('button', { name: 'Save function' }).click();

    await expectText(page.getByTestId('script-problem'), /^Line 2, column \d+: /);
    await shot('function-syntax-error');
    const saved = (await api('GET', 'functions')) as Array<{ script: string }>;
    expect(saved[0].script).toContain('PAYLOAD.ref');
  });

  it('shows a signed webhook arrive live, with every tab of its page', async () => {
    await page.getByRole('link', { name: 'Messages' }).click();
    await expectText(page.getByTestId('live-status'), 'Live');
    const body = JSON.stringify({ ref: 'refs/heads/main', pusher: { name: 'octocat' } });
    const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
    const sent = await fetch(`${system.ingressUrls[0]}/flexdeploy/webhooks/v1/git/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': signature },
      body,
    });
    messageId = ((await sent.json()) as { messageId: string }).messageId;

    // No reload: the table follows new and changing messages by itself.
    const row = page.locator('tbody tr', { hasText: 'git/push' });
    await expectText(row, 'SUCCESS');
    await expectText(row, 'GitHub');
    expect(await page.locator('table.messages thead th').allTextContents()).toEqual([
      'Status',
      'Provider',
      'Functions',
      'URI',
      'Message',
      'Received',
      'Duration',
      'Resubmitted by',
      'From',
    ]);
    // Functions, duration and resubmitter, each in its column.
    await expectText(cell(row, 'Functions'), 'Deploy');
    await expectText(cell(row, 'Duration'), /^\d+(\.\d)? (ms|s)$/);
    expect(await cell(row, 'Resubmitted by').textContent()).toBe('');
    // The chart above the table counts it among the last 24 hours' messages.
    await expectText(page.getByTestId('status-chart'), 'SUCCESS 1');
    expect(await page.getByTestId('status-chart').getByRole('img').getAttribute('aria-label')).toMatch(
      /^1 messages from .*: 1 success$/,
    );

    await row.getByRole('link').click();
    await page.getByRole('tab', { name: 'Executions' }).waitFor();
    await expectText(page.getByRole('tabpanel'), 'refs/heads/main');
    await expectText(page.getByRole('tabpanel'), 'Deploy');
    await shot('message-executions');
    await page.getByRole('tab', { name: 'Logs' }).click();
    await expectText(page.getByRole('tabpanel'), 'push to refs/heads/main');
    await page.getByRole('tab', { name: 'Request' }).click();
    await expectText(page.getByRole('tabpanel'), 'x-github-event');
    await expectText(page.getByRole('tabpanel'), '••••••••');
    await shot('message-request');
    // The keyboard moves between tabs too.
    await page.getByRole('tab', { name: 'Request' }).press('ArrowRight');
    await expectText(page.getByTestId('payload'), '"pusher": {');
    await expectText(page.getByRole('tabpanel'), `${Buffer.byteLength(body)} B`);
    await shot('message-payload');
  });

  it('resubmits the message from its page', async () => {
    await page.getByRole('button', { name: 'Resubmit' }).click();

    await expectText(page.getByRole('status').filter({ hasText: 'Resubmitted' }), 'Resubmitted as run 1.');
    await page.getByRole('tab', { name: 'Executions' }).click();
    await expectText(page.locator('tbody tr').nth(1), 'SUCCESS');
    await expectText(page.locator('tbody tr').nth(1), 'admin');

    // The list says who resubmitted it, and shows the new run's function and duration.
    await page.getByRole('link', { name: '← Messages' }).click();
    const row = page.locator('tbody tr', { hasText: 'git/push' });
    await expectText(cell(row, 'Resubmitted by'), 'admin (run 1)');
    await expectText(cell(row, 'Functions'), 'Deploy');
    await expectText(cell(row, 'Duration'), /^\d+(\.\d)? (ms|s)$/);
    await shot('messages');
  });

  it("folds the messages table's less needed columns at a phone's width", async () => {
    const header = (name: string) => page.locator('table.messages thead th', { hasText: new RegExp(`^${name}$`) });
    try {
      await page.setViewportSize({ width: 390, height: 844 });
      for (const shown of ['Status', 'Functions', 'URI', 'Received'])
        expect(await header(shown).isVisible()).toBe(true);
      for (const folded of ['Provider', 'Message', 'Duration', 'Resubmitted by', 'From']) {
        expect(await header(folded).isVisible()).toBe(false);
      }
      // The table fits the screen: nothing to scroll sideways.
      const overflow = await page.locator('.table-wrap').evaluate((wrap) => wrap.scrollWidth - wrap.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('lists a dead letter, shows its record and retries it once', async () => {
    // The matcher gave up on the message (as it does after CONSUMER_MAX_ATTEMPTS); it has finished since.
    await eventually(
      async () => (await api('GET', `messages/${messageId}`)) as { status: string; run: number },
      (message) => expect(message).toMatchObject({ status: 'SUCCESS', run: 1 }),
    );
    const deadLetterId = uuidv7();
    await new DeadLetterStore(system.db).record({
      deadLetterId,
      groupId: 'hookline-matcher',
      sourceTopic: Topics.MessagesReceived,
      partition: 0,
      offset: '41',
      key: messageId,
      messageId,
      attempts: 5,
      error: 'Error: the configuration cache could not be read',
      failedAt: new Date().toISOString(),
      headers: { 'hookline-attempt': '5' },
      value: Buffer.from(JSON.stringify({ messageId, run: 1 })).toString('base64'),
    });

    await page.getByRole('link', { name: 'Dead letters' }).click();
    const row = page.getByTestId('dead-letter-row').first();
    await expectText(row, 'hookline-matcher');
    await expectText(row, `${Topics.MessagesReceived}`);
    await expectText(row, '0 / 41');
    await expectText(row, 'the configuration cache could not be read');
    await expectText(row, 'not yet');
    await shot('dead-letters');

    // Opened from the keyboard, like every link.
    await row.getByRole('link').first().focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /Dead letter of/ }).waitFor();
    await expectText(page.getByTestId('dead-letter-value'), `"messageId": "${messageId}"`);
    await expectText(page.locator('section'), 'hookline-attempt');
    await page.getByRole('button', { name: 'Retry' }).click();

    await expectText(page.getByTestId('retry-result'), 'the message was resubmitted as run 2');
    await expectText(page.locator('.facts'), 'by admin');
    await shot('dead-letter');
    await page.getByRole('button', { name: 'Retry' }).click();
    await expectText(page.getByRole('alert'), /^Already retried: dead letter .* was retried by admin/);
    await eventually(
      async () => (await api('GET', `messages/${messageId}`)) as { status: string; run: number },
      (message) => expect(message).toMatchObject({ status: 'SUCCESS', run: 2 }),
    );
    await page.getByRole('link', { name: 'Follow it' }).click();
    await page.getByRole('tab', { name: 'Executions' }).waitFor();
  });

  it('tests an edited script against a recent message and shows its error at its line, saving nothing', async () => {
    await page.getByRole('tab', { name: 'Executions' }).click();
    await page.getByRole('link', { name: 'Deploy' }).first().click();
    await page.getByRole('heading', { name: 'Deploy' }).waitFor();
    await page
      .getByLabel('Script', { exact: true })
      .fill("LOG.info('testing', PAYLOAD.ref);\nreturn PAYLOAD.ref.name.first;");

    await page.getByRole('button', { name: 'Run test' }).click();

    await expectText(page.getByTestId('test-result'), 'Failed');
    await expectText(page.getByTestId('test-result'), 'INFO testing refs/heads/main');
    await expectText(page.getByTestId('script-problem'), /^Line 2, column \d+: TypeError/);
    await shot('function-test');
    const saved = (await api('GET', 'functions')) as Array<{ script: string }>;
    expect(saved[0].script).toContain('deployed: PAYLOAD.ref');
  });

  it('reorders providers by dragging and with the keyboard, and saves the order', async () => {
    await api('POST', 'providers', { name: 'Catch-all', matchScript: 'return true' });
    await page.getByRole('link', { name: 'Providers' }).click();
    const rows = page.getByTestId('provider-row');
    await expectText(rows.nth(1), 'Catch-all');

    await rows.nth(1).dragTo(rows.nth(0));

    await expectText(rows.nth(0), 'Catch-all');
    await eventually(
      async () => names(await api('GET', 'providers')),
      (order) => expect(order).toEqual(['Catch-all', 'GitHub']),
    );
    await shot('providers');

    await page.getByRole('button', { name: /^Move Catch-all \(position 1/ }).press('ArrowDown');

    await expectText(rows.nth(0), 'GitHub');
    await eventually(
      async () => names(await api('GET', 'providers')),
      (order) => expect(order).toEqual(['GitHub', 'Catch-all']),
    );
  });

  it('shows a viewer no edit or resubmit controls', async () => {
    const viewer = (await api('POST', 'tokens', { name: 'dashboard', role: 'viewer' })) as { secret: string };
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(viewer.secret);

    await expectText(page.getByTestId('session'), 'dashboard · viewer');
    expect(await page.getByRole('button', { name: 'Resubmit all matching…' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'API tokens' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Dead letters' }).count()).toBe(0);
    await page.goto(`${system.adminUrl}/#/messages/${messageId}`);
    await page.getByRole('tab', { name: 'Executions' }).waitFor();
    expect(await page.getByRole('button', { name: 'Resubmit' }).count()).toBe(0);
    await page.getByRole('tab', { name: 'Payload' }).click();
    await expectText(page.getByRole('tabpanel'), 'no details permission');

    await page.getByRole('link', { name: 'Providers' }).click();
    await expectText(page.getByTestId('provider-row').first(), 'GitHub');
    expect(await page.getByRole('button', { name: /^Move / }).count()).toBe(0);
    expect(await page.getByRole('checkbox').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Create provider' }).count()).toBe(0);
    await page.getByRole('link', { name: 'GitHub' }).click();
    await page.getByRole('heading', { name: 'GitHub' }).waitFor();
    expect(await page.getByRole('button', { name: 'Save provider' }).count()).toBe(0);
    expect(await page.getByLabel('Match script').isEditable()).toBe(false);
  });

  if (SCREENSHOTS) {
    it('takes the remaining screenshots: tokens, audit log, dark theme, phone width', async () => {
      await page.getByRole('button', { name: 'Sign out' }).click();
      await signIn(ADMIN_TOKEN);
      await page.getByRole('link', { name: 'API tokens' }).click();
      await page.getByRole('heading', { name: 'API tokens' }).waitFor();
      await shot('tokens');
      await page.getByRole('link', { name: 'Audit log' }).click();
      await expectText(page.locator('tbody'), 'provider.reorder');
      await shot('audit');
      await page.getByRole('link', { name: 'Providers' }).click();
      await page.getByRole('link', { name: 'GitHub' }).click();
      await page.getByRole('heading', { name: 'GitHub' }).waitFor();
      await page.getByLabel('Match script').waitFor();
      await shot('provider');
      await page.getByLabel('Theme').selectOption('dark');
      await page.getByRole('link', { name: 'Messages' }).click();
      await expectText(page.locator('tbody'), 'git/push');
      await shot('messages-dark');
      await page.setViewportSize({ width: 390, height: 844 });
      await shot('messages-phone');
    });
  }
});

/** The cell of `row` under the messages table's column headed `column`. */
function cell(row: Locator, column: string): Locator {
  const columns = [
    'Status',
    'Provider',
    'Functions',
    'URI',
    'Message',
    'Received',
    'Duration',
    'Resubmitted by',
    'From',
  ];
  return row.locator('td').nth(columns.indexOf(column));
}

const names = (providers: unknown) => (providers as Array<{ name: string }>).map((p) => p.name);

/** Reads until the check passes or the time is up: the console updates itself, the test does not reload. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => void, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    try {
      check(value);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function expectText(locator: Locator, expected: string | RegExp): Promise<void> {
  await eventually(
    async () => (await locator.first().textContent({ timeout: 10_000 })) ?? '',
    (text) => (expected instanceof RegExp ? expect(text).toMatch(expected) : expect(text).toContain(expected)),
  );
}
