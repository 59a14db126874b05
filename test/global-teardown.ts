import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  const name = process.env.HOOKLINE_IT_DATABASE;
  const adminUrl = process.env.HOOKLINE_IT_ADMIN_DATABASE_URL;
  if (name && adminUrl && process.env.HOOKLINE_KEEP_TEST_DATABASE !== 'true') {
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
  const containers = (globalThis as Record<string, unknown>).__HOOKLINE_CONTAINERS__ as
    Array<{ stop(): Promise<unknown> }> | undefined;
  await Promise.all((containers ?? []).map((container) => container.stop()));
}
