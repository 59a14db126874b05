import type { DataSource, EntityManager } from 'typeorm';
import { FunctionEntity } from '../entities/function.entity';
import { ProviderEntity } from '../entities/provider.entity';

export interface ConfigSnapshot {
  revision: number;
  /** Every provider, in evaluation order. */
  providers: ProviderEntity[];
  functions: FunctionEntity[];
}

/** Providers and functions as the matcher and executors cache them. */
export class ConfigStore {
  constructor(private readonly db: DataSource) {}

  /** One tiny read: caches compare it before trusting what they hold. */
  async revision(): Promise<number> {
    const rows = await this.db.query(`SELECT revision FROM config_revision WHERE id = 1`);
    return Number(rows[0].revision);
  }

  async snapshot(): Promise<ConfigSnapshot> {
    // Read first: a change committed during the load leaves a newer revision to reload for.
    const revision = await this.revision();
    const [providers, functions] = await Promise.all([
      this.db.getRepository(ProviderEntity).find({ order: { sequence: 'ASC', createdAt: 'ASC' } }),
      this.db.getRepository(FunctionEntity).find({ order: { createdAt: 'ASC' } }),
    ]);
    return { revision, providers, functions };
  }

  /** Call in the transaction of every provider or function change. */
  static async bump(tx: EntityManager): Promise<void> {
    await tx.query(`UPDATE config_revision SET revision = revision + 1 WHERE id = 1`);
  }
}
