import type { DocStore } from '../docs/doc-store';
import type { Database } from './database';

/**
 * PGlite runs no autovacuum: without this, every saved edit leaves a dead row version behind
 * (a note's projection row is rewritten each time typing pauses) and the planner has no
 * statistics. Run after migrations that rewrite tables, after a projection rebuild, and from time
 * to time while the notebook is in use.
 */
export async function refreshStatistics(db: Database): Promise<void> {
  await db.exec('VACUUM ANALYZE');
}

export interface IdleMaintenanceOptions {
  /** How often to look whether enough changed. */
  intervalMs?: number;
  /** Document changes since the last run that make a run worth it. */
  minChanges?: number;
}

/** Vacuums and analyzes on a timer once enough documents have changed; never keeps a process alive. */
export class IdleMaintenance {
  private changes = 0;
  private running: Promise<void> | null = null;
  private readonly timer: NodeJS.Timeout;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly db: Database,
    docs: DocStore,
    options: IdleMaintenanceOptions = {},
  ) {
    const minChanges = options.minChanges ?? 200;
    this.unsubscribe = docs.onChange(() => {
      this.changes++;
    });
    this.timer = setInterval(
      () => {
        if (this.changes >= minChanges && !this.running) void this.run();
      },
      options.intervalMs ?? 10 * 60_000,
    );
    this.timer.unref();
  }

  /** Runs now (also used by tests); a failure is reported, never thrown into the timer. */
  async run(): Promise<void> {
    this.changes = 0;
    this.running = refreshStatistics(this.db)
      .catch((error: unknown) => console.warn(`Outpost: notebook maintenance failed: ${(error as Error).message}`))
      .finally(() => {
        this.running = null;
      });
    await this.running;
  }

  /** Stops the timer and waits for a run in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.unsubscribe();
    await this.running;
  }
}
