import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { createDataSource, openDatabase } from '../data-source';
import { ApiTokensAndAudit1764700000000 } from '../migrations/1764700000000-api-tokens-and-audit';
import { ApiTokenStore } from './api-token.store';
import { AuditStore } from './audit.store';

describe('ApiTokenStore and AuditStore (PGlite)', () => {
  let dataDir: string;
  let db: DataSource;
  let tokens: ApiTokenStore;

  const token = (fields: Partial<Parameters<ApiTokenStore['create']>[0]> = {}) => ({
    id: uuidv7(),
    name: `t-${uuidv7()}`,
    role: 'viewer' as const,
    details: false,
    secretSha256: uuidv7(),
    createdBy: 'admin',
    ...fields,
  });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'hookline-tokens-'));
    db = await openDatabase(createDataSource({ databaseUrl: undefined, dataDir }));
    tokens = new ApiTokenStore(db);
  }, 60_000);

  afterAll(async () => {
    await db.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('finds a token by the digest of its secret, and notes its use at most once a minute', async () => {
    const created = await tokens.create(token({ secretSha256: 'abc', role: 'operator', details: true }));

    expect(await tokens.authenticate('abc')).toEqual({
      id: created.id,
      name: created.name,
      role: 'operator',
      details: true,
    });
    expect(await tokens.authenticate('abd')).toBeNull();
    const [first] = (await tokens.list()).filter((t) => t.id === created.id);
    expect(first.lastUsedAt).toBeInstanceOf(Date);

    await tokens.authenticate('abc');

    const [second] = (await tokens.list()).filter((t) => t.id === created.id);
    expect(second.lastUsedAt).toEqual(first.lastUsedAt);
  });

  it('deletes a token, answering what it deleted', async () => {
    const created = await tokens.create(token({ secretSha256: 'gone' }));

    expect(await tokens.delete(created.id)).toMatchObject({ id: created.id, name: created.name });
    expect(await tokens.delete(created.id)).toBeNull();
    expect(await tokens.authenticate('gone')).toBeNull();
  });

  it('refuses an unknown role and a name taken in another case', async () => {
    await tokens.create(token({ name: 'Deploy' }));

    await expect(tokens.create(token({ role: 'root' as never }))).rejects.toThrow(/api_tokens_role_known/);
    await expect(tokens.create(token({ name: 'deploy' }))).rejects.toThrow(/api_tokens_name_unique/);
  });

  it('writes audit entries and lists them newest first, filtered', async () => {
    for (const action of ['a.one', 'a.two', 'a.one']) {
      await AuditStore.write(db.manager, {
        tokenName: 'admin',
        action,
        targetType: 'thing',
        targetId: 'x1',
        before: null,
        after: { action },
      });
    }
    const audit = new AuditStore(db);

    const page = await audit.list({ action: 'a.one' }, { limit: 1 });
    const next = await audit.list({ action: 'a.one' }, { limit: 1, cursor: page.nextCursor! });

    expect(page.items).toMatchObject([{ action: 'a.one', targetId: 'x1', before: null, after: { action: 'a.one' } }]);
    expect(next.items).toHaveLength(1);
    expect(next.items[0].id < page.items[0].id).toBe(true);
    expect(next.nextCursor).toBeNull();
    expect((await audit.list({ targetId: 'x1' }, { limit: 10 })).items).toHaveLength(3);
  });

  it('migrates down and up again', async () => {
    const migration = new ApiTokensAndAudit1764700000000();
    const runner = db.createQueryRunner();
    const tables = async () =>
      (
        await runner.query(
          `SELECT table_name FROM information_schema.tables WHERE table_name IN ('api_tokens', 'audit_log') ORDER BY 1`,
        )
      ).map((row: { table_name: string }) => row.table_name);
    try {
      await migration.down(runner);
      expect(await tables()).toEqual([]);

      await migration.up(runner);
      expect(await tables()).toEqual(['api_tokens', 'audit_log']);
    } finally {
      await runner.release();
    }
  });
});
