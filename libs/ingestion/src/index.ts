export * from './errors';
export * from './ingest.service';
export * from './ingestion.module';
export * from './reply-registry';
export * from './resubmit.service';
export * from './webhook.routes';
