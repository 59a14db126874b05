import type { DataSource, EntityManager } from 'typeorm';
import type { RateLimit } from '@hookline/contracts';
import type { FunctionEntity } from '../entities/function.entity';
import type { ProviderEntity } from '../entities/provider.entity';
import { FunctionStore } from './function.store';
import type { PgBigint } from './pg-values';
import { ProviderStore } from './provider.store';
import { execute, rows } from './sql';

export interface ConfigSnapshot {
  revision: number;
  /** Every provider, in evaluation order. */
  providers: ProviderEntity[];
  functions: FunctionEntity[];
}

/** The configuration's revision, bumped in the transaction of every change (see ConfigStore.bump). */
export const CURRENT_REVISION_SQL = `SELECT revision FROM config_revision WHERE id = 1`;

/** Providers and functions as the matcher and executors cache them. */
export class ConfigStore {
  private readonly providers: ProviderStore;
  private readonly functions: FunctionStore;

  constructor(private readonly db: DataSource) {
    this.providers = new ProviderStore(db);
    this.functions = new FunctionStore(db);
  }

  /** One tiny read: caches compare it before trusting what they hold. */
  async revision(): Promise<number> {
    const [row] = await rows<{ revision: PgBigint }>(this.db, CURRENT_REVISION_SQL);
    return Number(row.revision);
  }

  async snapshot(): Promise<ConfigSnapshot> {
    // Read first: a change committed during the load leaves a newer revision to reload for.
    const revision = await this.revision();
    const [providers, functions] = await Promise.all([this.providers.list(), this.functions.list()]);
    return { revision, providers, functions };
  }

  /**
   * Rate-limited active providers with the URIs of their active functions, one row per URI, with
   * the revision they were read at.
   */
  async rateLimits(): Promise<{
    revision: number;
    rows: Array<{ providerId: string; providerName: string; uri: string; rateLimit: RateLimit }>;
  }> {
    const revision = await this.revision();
    const limited = await rows<{ id: string; name: string; rate_limit: RateLimit; uri: string }>(
      this.db,
      `SELECT DISTINCT p.id, p.name, p.rate_limit, f.uri
         FROM providers p JOIN functions f ON f.provider_id = p.id
        WHERE p.active AND f.active AND p.rate_limit IS NOT NULL`,
    );
    return {
      revision,
      rows: limited.map((row) => ({
        providerId: row.id,
        providerName: row.name,
        uri: row.uri,
        rateLimit: row.rate_limit,
      })),
    };
  }

  /** Call in the transaction of every provider or function change. */
  static async bump(tx: EntityManager): Promise<void> {
    await execute(tx, `UPDATE config_revision SET revision = revision + 1 WHERE id = 1`);
  }
}
