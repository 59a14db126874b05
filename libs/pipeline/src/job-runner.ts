import type { JobEvent } from '@hookline/contracts';
import type { StartedExecution } from '@hookline/persistence';

/**
 * Runs one job in this process, as an executor would: start, function script, finish, result and
 * replies. A matcher given one runs the jobs of sync runs itself (see MatchMessageUseCase).
 */
export interface JobRunner {
  /** `started`: the execution was started already (by the statement that planned it), as given. */
  execute(job: JobEvent, started?: StartedExecution): Promise<void>;
}

/** Nest token of the JobRunner, provided by the executors' JobRunnerModule. */
export const JOB_RUNNER = Symbol('JOB_RUNNER');
