import { Module } from '@nestjs/common';
import { InProcessBacklog } from './in-process-backlog';
import { IngestService } from './ingest.service';
import { OutboxRelay } from './outbox-relay';
import { ProviderRateLimits } from './provider-rate-limits';
import { ReplyListener } from './reply-listener';
import { ReplyRegistry } from './reply-registry';
import { ResubmitService } from './resubmit.service';
import { SyncLagGuard } from './sync-lag-guard';
import { WebhookRoutes } from './webhook.routes';

/** The ingress: webhook routes, the store-and-publish pipeline, sync replies and the outbox. */
@Module({
  providers: [
    IngestService,
    ReplyRegistry,
    ReplyListener,
    OutboxRelay,
    WebhookRoutes,
    ResubmitService,
    SyncLagGuard,
    InProcessBacklog,
    ProviderRateLimits,
  ],
  exports: [IngestService, ResubmitService],
})
export class IngestionModule {}

/** Resubmission alone, for the admin API. */
@Module({ providers: [ResubmitService], exports: [ResubmitService] })
export class ResubmissionModule {}
