import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HOOKLINE_CONFIG, createLogger, type HooklineConfig } from '@hookline/config';
import type { RateLimit } from '@hookline/contracts';
import { ConfigStore } from '@hookline/persistence';

/** A token bucket: `burst` tokens at most, refilled at `perSecond`. */
export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  constructor(
    readonly limit: RateLimit,
    now = Date.now(),
  ) {
    this.tokens = limit.burst;
    this.refilledAt = now;
  }

  /** Milliseconds until a token is there (0: one is). */
  waitMs(now = Date.now()): number {
    this.refill(now);
    // Less a nanosecond, so that floating-point dust does not add a millisecond.
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.limit.perSecond) * 1000 - 1e-6);
  }

  take(now = Date.now()): void {
    this.refill(now);
    this.tokens -= 1;
  }

  private refill(now: number): void {
    if (now <= this.refilledAt) return;
    this.tokens = Math.min(this.limit.burst, this.tokens + ((now - this.refilledAt) / 1000) * this.limit.perSecond);
    this.refilledAt = now;
  }
}

interface LimitedProvider {
  id: string;
  name: string;
  bucket: TokenBucket;
}

export type RateDecision =
  { allowed: true } | { allowed: false; provider: string; limit: RateLimit; retryAfterMs: number };

/**
 * Per-provider ingress rate limits, one token bucket per provider and replica. The ingress cannot
 * know which provider a message belongs to before matching, so a webhook is charged to every
 * rate-limited provider that has an active function at its URI: it is accepted only when each of
 * them has a token. Limits are reloaded when the configuration revision moves (checked every
 * RATE_LIMIT_REFRESH_MS); a bucket survives reloads while its limit is unchanged.
 */
@Injectable()
export class ProviderRateLimits implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = createLogger('ingress');
  private byUri = new Map<string, LimitedProvider[]>();
  private revision: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    @Inject(HOOKLINE_CONFIG) private readonly config: HooklineConfig,
    private readonly store: ConfigStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
    this.schedule();
  }

  /** Whether a webhook to `uri` may be accepted; when it may, its tokens are taken. */
  admit(uri: string, now = Date.now()): RateDecision {
    const providers = this.byUri.get(uri);
    if (!providers) return { allowed: true };
    let refusal: RateDecision = { allowed: true };
    for (const provider of providers) {
      const waitMs = provider.bucket.waitMs(now);
      if (waitMs > 0 && (refusal.allowed || waitMs > refusal.retryAfterMs)) {
        refusal = { allowed: false, provider: provider.name, limit: provider.bucket.limit, retryAfterMs: waitMs };
      }
    }
    if (refusal.allowed) for (const provider of providers) provider.bucket.take(now);
    return refusal;
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.running = this.refresh().finally(() => {
        this.running = null;
        if (this.timer) this.schedule();
      });
    }, this.config.rateLimits.refreshMs);
    this.timer.unref();
  }

  private async refresh(): Promise<void> {
    try {
      if (this.revision !== null && (await this.store.revision()) === this.revision) return;
      const { revision, rows } = await this.store.rateLimits();
      const previous = new Map([...this.byUri.values()].flat().map((p) => [p.id, p]));
      const providers = new Map<string, LimitedProvider>();
      const byUri = new Map<string, LimitedProvider[]>();
      for (const row of rows) {
        let provider = providers.get(row.providerId);
        if (!provider) {
          const kept = previous.get(row.providerId);
          const same = kept && sameLimit(kept.bucket.limit, row.rateLimit);
          provider = {
            id: row.providerId,
            name: row.providerName,
            bucket: same ? kept.bucket : new TokenBucket(row.rateLimit),
          };
          providers.set(row.providerId, provider);
        }
        byUri.set(row.uri, [...(byUri.get(row.uri) ?? []), provider]);
      }
      this.byUri = byUri;
      this.revision = revision;
    } catch (error) {
      // The limits last read stay in force; the next check tries again.
      this.log.warn({ err: error }, 'reading provider rate limits failed');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}

const sameLimit = (a: RateLimit, b: RateLimit) => a.perSecond === b.perSecond && a.burst === b.burst;
