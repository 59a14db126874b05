import type { RetryPolicy } from '@hookline/contracts';
import type { FunctionEntity } from '@hookline/persistence';

export interface FunctionResponse {
  id: string;
  name: string;
  description: string | null;
  providerId: string;
  uri: string;
  active: boolean;
  script: string;
  retry: RetryPolicy | null;
  createdAt: string;
  updatedAt: string;
}

export const toFunctionResponse = (fn: FunctionEntity): FunctionResponse => ({
  id: fn.id,
  name: fn.name,
  description: fn.description,
  providerId: fn.providerId,
  uri: fn.uri,
  active: fn.active,
  script: fn.script,
  retry: fn.retry ?? null,
  createdAt: fn.createdAt.toISOString(),
  updatedAt: fn.updatedAt.toISOString(),
});
