import type { JobEvent } from '@hookline/contracts';

/**
 * Runs one job in this process, as an executor would: start, function script, finish, result and
 * replies. A matcher given one runs the jobs of sync runs itself (see MatchMessageUseCase).
 */
export interface JobRunner {
  execute(job: JobEvent): Promise<void>;
}

/** Nest token of the JobRunner, provided by the executors' JobRunnerModule. */
export const JOB_RUNNER = Symbol('JOB_RUNNER');
