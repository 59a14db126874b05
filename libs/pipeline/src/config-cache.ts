import { Injectable } from '@nestjs/common';
import { ConfigStore, type ConfigSnapshot, type FunctionEntity, type ProviderEntity } from '@hookline/persistence';

/** Providers and functions indexed for the hot path. */
export class ConfigView {
  /** Active providers in evaluation order. */
  readonly activeProviders: ProviderEntity[];
  private readonly providers = new Map<string, ProviderEntity>();
  private readonly functions = new Map<string, FunctionEntity>();
  private readonly byProviderUri = new Map<string, FunctionEntity[]>();

  constructor(readonly snapshot: ConfigSnapshot) {
    this.activeProviders = snapshot.providers.filter((p) => p.active);
    for (const provider of snapshot.providers) this.providers.set(provider.id, provider);
    for (const fn of snapshot.functions) {
      this.functions.set(fn.id, fn);
      if (!fn.active) continue;
      const key = `${fn.providerId}\n${fn.uri}`;
      this.byProviderUri.set(key, [...(this.byProviderUri.get(key) ?? []), fn]);
    }
  }

  get revision(): number {
    return this.snapshot.revision;
  }

  /** Active functions of a provider for a URI. */
  functionsFor(providerId: string, uri: string): FunctionEntity[] {
    return this.byProviderUri.get(`${providerId}\n${uri}`) ?? [];
  }

  provider(id: string): ProviderEntity | undefined {
    return this.providers.get(id);
  }

  function(id: string): FunctionEntity | undefined {
    return this.functions.get(id);
  }
}

/**
 * Keeps the configuration in memory and reloads it only when its revision changed. A message is
 * always handled with configuration at least as new as its arrival: when the last revision check
 * started before the message was received, one more check is made, shared by every message that
 * needs it. Under load that is one tiny query per batch of messages, never one per message.
 */
@Injectable()
export class ConfigCache {
  private view: ConfigView | null = null;
  private checkedAt = 0;
  private check: { startedAt: number; done: Promise<ConfigView> } | null = null;

  constructor(private readonly store: ConfigStore) {}

  /** The configuration as of some moment after `since` (when the message's run started). */
  async asOf(since: Date | string): Promise<ConfigView> {
    const at = typeof since === 'string' ? Date.parse(since) : since.getTime();
    if (this.view && this.checkedAt >= at) return this.view;
    if (this.check && this.check.startedAt >= at) return this.check.done;
    // A check already under way started too early for this message: wait for it, then check again.
    if (this.check) await this.check.done.catch(() => undefined);
    if (this.view && this.checkedAt >= at) return this.view;
    return this.refresh();
  }

  /** Checks the revision now and reloads when it changed. */
  refresh(): Promise<ConfigView> {
    if (this.check) return this.check.done;
    const startedAt = Date.now();
    const done = this.load(startedAt).finally(() => {
      if (this.check?.done === done) this.check = null;
    });
    this.check = { startedAt, done };
    return done;
  }

  private async load(startedAt: number): Promise<ConfigView> {
    const revision = await this.store.revision();
    if (!this.view || this.view.revision !== revision) {
      this.view = new ConfigView(await this.store.snapshot());
    }
    this.checkedAt = Math.max(this.checkedAt, startedAt);
    return this.view;
  }
}
