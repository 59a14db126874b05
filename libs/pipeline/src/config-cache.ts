import { Injectable } from '@nestjs/common';
import { createLogger } from '@hookline/config';
import { ConfigStore, type ConfigSnapshot, type FunctionEntity, type ProviderEntity } from '@hookline/persistence';
import { decryptProperties, SecretCipher, SecretPropertyError } from '@hookline/secrets';

/** Called once per load for each provider whose secrets cannot be decrypted. */
export type UnreadableSecretsListener = (provider: ProviderEntity, error: SecretPropertyError) => void;

/**
 * Providers and functions indexed for the hot path, with secret properties decrypted once per
 * load. A provider whose secrets cannot be decrypted keeps its place, but its match script and its
 * functions' scripts are replaced by one that fails with the reason: matcher and executors then
 * record a failed run that says what is wrong, and no script ever sees a ciphertext.
 */
export class ConfigView {
  readonly revision: number;
  /** Active providers in evaluation order. */
  readonly activeProviders: ProviderEntity[];
  private readonly providers = new Map<string, ProviderEntity>();
  private readonly functions = new Map<string, FunctionEntity>();
  private readonly byProviderUri = new Map<string, FunctionEntity[]>();

  constructor(snapshot: ConfigSnapshot, cipher: SecretCipher, onUnreadable: UnreadableSecretsListener = () => {}) {
    this.revision = snapshot.revision;
    const failing = new Map<string, string>();
    const providers = snapshot.providers.map((stored) => {
      try {
        return { ...stored, properties: decryptProperties(stored.properties ?? [], cipher) };
      } catch (error) {
        if (!(error instanceof SecretPropertyError)) throw error;
        onUnreadable(stored, error);
        const script = failingScript(
          `provider '${stored.name}': ${error.message}; none of the provider's scripts run until it can be decrypted`,
        );
        failing.set(stored.id, script);
        const readable = (stored.properties ?? []).filter((property) => !property.secret);
        return { ...stored, matchScript: script, properties: readable };
      }
    });
    this.activeProviders = providers.filter((p) => p.active);
    for (const provider of providers) this.providers.set(provider.id, provider);
    for (const stored of snapshot.functions) {
      const script = failing.get(stored.providerId);
      const fn = script === undefined ? stored : { ...stored, script };
      this.functions.set(fn.id, fn);
      if (!fn.active) continue;
      const key = `${fn.providerId}\n${fn.uri}`;
      this.byProviderUri.set(key, [...(this.byProviderUri.get(key) ?? []), fn]);
    }
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

/** A script that only throws `reason` (a thrown string is reported without a script position). */
const failingScript = (reason: string): string => `throw ${JSON.stringify(reason)};`;

/**
 * Keeps the configuration in memory and reloads it only when its revision changed. A message is
 * always handled with configuration at least as new as its arrival. A message stored by the
 * ingress carries the revision its INSERT read: a view that new needs no check at all. Otherwise,
 * when the last revision check started before the message was received, one more check is made,
 * shared by every message that needs it: under load one tiny query per batch of messages.
 */
@Injectable()
export class ConfigCache {
  private view: ConfigView | null = null;
  private checkedAt = 0;
  private check: { startedAt: number; done: Promise<ConfigView> } | null = null;

  private readonly log = createLogger('config-cache');

  constructor(
    private readonly store: ConfigStore,
    private readonly cipher: SecretCipher,
  ) {}

  /**
   * The configuration as of some moment after `since` (when the message's run started). `revision`:
   * the revision read when the message was stored, if known; a view that new needs no check.
   */
  async asOf(since: Date | string, revision?: number): Promise<ConfigView> {
    if (this.view && revision !== undefined) {
      if (this.view.revision >= revision) return this.view;
      // Stored with a newer revision than the view: a check that starts after this one sees it.
      if (this.check) await this.check.done.catch(() => undefined);
      return this.view.revision >= revision ? this.view : this.refresh();
    }
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
      this.view = new ConfigView(await this.store.snapshot(), this.cipher, (provider, error) =>
        this.log.error(
          { providerId: provider.id, provider: provider.name, property: error.property, reason: error.message },
          "secret property cannot be decrypted; the provider's scripts fail until it can be decrypted",
        ),
      );
    }
    this.checkedAt = Math.max(this.checkedAt, startedAt);
    return this.view;
  }
}
