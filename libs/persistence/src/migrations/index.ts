import { InitialSchema1764400000000 } from './1764400000000-initial-schema';
import { MessageHistory1764500000000 } from './1764500000000-message-history';
import { RetentionAndDeduplication1764600000000 } from './1764600000000-retention-and-deduplication';
import { ApiTokensAndAudit1764700000000 } from './1764700000000-api-tokens-and-audit';
import { DeadLetters1764800000000 } from './1764800000000-dead-letters';
import { FunctionRetries1764900000000 } from './1764900000000-function-retries';
import { ProviderRateLimits1765000000000 } from './1765000000000-provider-rate-limits';

/** In order of application. */
export const MIGRATIONS = [
  InitialSchema1764400000000,
  MessageHistory1764500000000,
  RetentionAndDeduplication1764600000000,
  ApiTokensAndAudit1764700000000,
  DeadLetters1764800000000,
  FunctionRetries1764900000000,
  ProviderRateLimits1765000000000,
];
