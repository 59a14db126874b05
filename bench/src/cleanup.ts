/**
 * Undo steps (stop a child, drop a database, remove a directory) run last-in first-out, each once,
 * whether the run succeeds, fails or is interrupted.
 */
export class Cleanup {
  private readonly steps: Array<{ name: string; run: () => unknown }> = [];
  private started = false;

  /** True once the final clean-up began: processes ending now are expected to. */
  get closing(): boolean {
    return this.started;
  }

  /** Registers a step; the returned function runs it now (and only once) instead of at the end. */
  add(name: string, run: () => unknown): () => Promise<void> {
    const step = { name, run };
    this.steps.push(step);
    return async () => {
      const index = this.steps.indexOf(step);
      if (index === -1) return;
      this.steps.splice(index, 1);
      await step.run();
    };
  }

  /** Runs every remaining step; a failing step is reported and does not stop the others. */
  async runAll(): Promise<void> {
    this.started = true;
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        await step.run();
      } catch (error) {
        console.error(`cleanup: ${step.name} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
