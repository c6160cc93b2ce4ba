/**
 * Writes to the index (ingest, remove) run as jobs, one at a time in the order they came: the
 * store has a single writer. Each job reports progress that clients poll or follow as events.
 */
import { randomUUID } from 'node:crypto';
import { describeError } from './http-error.js';

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface JobView {
  id: string;
  status: JobStatus;
  /** Files finished so far. */
  done: number;
  /** Files found; 0 until the walk is over. */
  total: number;
  /** The file in flight. */
  current?: string;
  report?: unknown;
  error?: { code: string; message: string };
}

export interface JobProgress {
  update(change: Partial<Pick<JobView, 'done' | 'total' | 'current'>>): void;
}

type Listener = (view: JobView) => void;

interface Job {
  view: JobView;
  listeners: Set<Listener>;
  finished: Promise<JobView>;
}

/** Finished jobs kept for polling; the oldest go first. */
const KEEP_FINISHED = 500;

export class JobQueue {
  private readonly jobs = new Map<string, Job>();
  private tail: Promise<unknown> = Promise.resolve();

  /** Queues `work`; its return value becomes the job's report. */
  enqueue(work: (progress: JobProgress) => Promise<unknown>): JobView {
    const view: JobView = { id: randomUUID(), status: 'queued', done: 0, total: 0 };
    const job: Job = { view, listeners: new Set(), finished: Promise.resolve(view) };

    job.finished = this.tail.then(() => this.run(job, work));
    this.tail = job.finished;
    this.jobs.set(view.id, job);
    this.forgetOld();
    return { ...view };
  }

  get(id: string): JobView | undefined {
    const job = this.jobs.get(id);
    return job && { ...job.view };
  }

  /** Resolves when the job is done or failed. */
  finished(id: string): Promise<JobView> | undefined {
    return this.jobs.get(id)?.finished.then((view) => ({ ...view }));
  }

  /** Calls `listener` on every change of the job; returns the unsubscribe function. */
  subscribe(id: string, listener: Listener): () => void {
    const job = this.jobs.get(id);
    if (!job) return () => {};
    job.listeners.add(listener);
    return () => job.listeners.delete(listener);
  }

  /** Resolves when every queued job has finished. */
  async drain(): Promise<void> {
    await this.tail;
  }

  private async run(job: Job, work: (progress: JobProgress) => Promise<unknown>) {
    const emit = () => {
      for (const listener of job.listeners) listener({ ...job.view });
    };
    job.view.status = 'running';
    emit();

    try {
      job.view.report = await work({
        update(change) {
          Object.assign(job.view, change);
          emit();
        },
      });
      job.view.status = 'done';
    } catch (error) {
      job.view.status = 'failed';
      job.view.error = describeError(error).body.error;
    }
    job.view.current = undefined;
    emit();
    job.listeners.clear();
    return job.view;
  }

  private forgetOld(): void {
    if (this.jobs.size <= KEEP_FINISHED) return;
    for (const [id, job] of this.jobs) {
      if (this.jobs.size <= KEEP_FINISHED) break;
      if (job.view.status === 'done' || job.view.status === 'failed') this.jobs.delete(id);
    }
  }
}
