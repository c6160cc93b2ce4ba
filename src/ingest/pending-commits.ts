/**
 * Commits of several files gathered into one store write. A store commit costs a fixed 40-75 ms
 * (LanceDB writes and the manifest's fsync) however small, which for short notes is more than
 * the work on the file itself; gathering up to a few dozen files into one commit removes most of
 * that wait. One store commit is atomic, so each file still lands whole or not at all.
 *
 * `PendingCommits` is the store as the files of the batch see it: it answers what they ask
 * (a path's record, who holds a content hash) with their pending writes laid over the store, so
 * the second of two files with the same bytes finds the first one's content, and a path seen
 * twice finds its first record.
 */
import type {
  CommitBatch,
  ScoredSegment,
  SearchFilter,
  SourceRecord,
  SpaceInfo,
  Store,
} from '../store/store.js';
import type { EmbeddedSegment, SpaceName, StoredSegment } from '../types.js';

export interface BatchLimits {
  /** Files per store commit. @default 32 */
  maxFiles: number;
  /** Segments per store commit. @default 2048 */
  maxSegments: number;
  /** How long a batch may gather work before it is committed, in ms. @default 1000 */
  maxMs: number;
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = { maxFiles: 32, maxSegments: 2048, maxMs: 1000 };

export class PendingCommits implements Store {
  /** Each path's pending record; null when a pending write removes it. */
  private readonly sources = new Map<string, SourceRecord | null>();
  /** Pending new content per hash, with the pipeline key its source rows carry. */
  private readonly added = new Map<string, { pipelineKey: string; segments: EmbeddedSegment[] }>();
  private readonly removed = new Set<string>();
  private commits = 0;
  private startedAt = 0;

  constructor(
    private readonly store: Store,
    private readonly limits: BatchLimits = DEFAULT_BATCH_LIMITS,
  ) {}

  /** How many `commit` calls are pending. */
  get size(): number {
    return this.commits;
  }

  /** True when the pending work should be written now. */
  full(now = Date.now()): boolean {
    if (this.commits === 0) return false;
    let segments = 0;
    for (const content of this.added.values()) segments += content.segments.length;
    return (
      this.commits >= this.limits.maxFiles ||
      segments >= this.limits.maxSegments ||
      now - this.startedAt >= this.limits.maxMs
    );
  }

  /** Records `batch` as pending; `flush` writes it. Applies in call order, as commits would. */
  async commit(batch: CommitBatch): Promise<void> {
    if (this.commits === 0) this.startedAt = Date.now();
    this.commits += 1;

    // The store applies removals before additions. A removal stays in the merged write even
    // when the content is added again (a re-embed replaces its own hash), and a removal of
    // content added earlier in the batch drops that content here, so the merged write says
    // what the commits one by one would have.
    for (const hash of batch.removeContent ?? []) {
      this.added.delete(hash);
      this.removed.add(hash);
    }
    for (const path of batch.removeSources ?? []) this.sources.set(path, null);
    for (const record of batch.upsertSources ?? []) this.sources.set(record.path, record);

    for (const segment of batch.addSegments ?? []) {
      const hash = segment.contentHash;
      const pipelineKey =
        batch.upsertSources?.find((record) => record.contentHash === hash)?.pipelineKey ?? '';
      const content = this.added.get(hash) ?? { pipelineKey, segments: [] };
      content.segments.push(segment);
      this.added.set(hash, content);
    }
  }

  /** Writes every pending commit as one store commit; pending state is cleared either way. */
  async flush(): Promise<void> {
    if (this.commits === 0) return;
    const merged: CommitBatch = {
      upsertSources: [...this.sources.values()].filter((r): r is SourceRecord => r !== null),
      removeSources: [...this.sources.entries()].filter(([, r]) => r === null).map(([p]) => p),
      removeContent: [...this.removed],
      addSegments: [...this.added.values()].flatMap((content) => content.segments),
    };
    this.sources.clear();
    this.added.clear();
    this.removed.clear();
    this.commits = 0;
    await this.store.commit(merged);
  }

  async getSource(path: string): Promise<SourceRecord | undefined> {
    if (this.sources.has(path)) return this.sources.get(path) ?? undefined;
    return this.store.getSource(path);
  }

  async hasContent(contentHash: string, pipelineKey: string): Promise<boolean> {
    const pending = this.added.get(contentHash);
    if (pending) return pending.pipelineKey === pipelineKey;
    if (this.removed.has(contentHash)) return false;
    return this.store.hasContent(contentHash, pipelineKey);
  }

  async pathsForContent(contentHash: string): Promise<string[]> {
    const holds = (record: SourceRecord | null | undefined) =>
      record?.status === 'indexed' && record.contentHash === contentHash;
    const stored = (await this.store.pathsForContent(contentHash)).filter(
      (path) => !this.sources.has(path) || holds(this.sources.get(path)),
    );
    const pending = [...this.sources.entries()]
      .filter(([path, record]) => holds(record) && !stored.includes(path))
      .map(([path]) => path);
    return [...stored, ...pending];
  }

  // What indexing a file does not ask goes to the store, after the pending work is written.

  async listSources(): Promise<SourceRecord[]> {
    await this.flush();
    return this.store.listSources();
  }

  spaces(): Promise<Partial<Record<SpaceName, SpaceInfo>>> {
    return this.store.spaces();
  }

  setSpaces(spaces: Partial<Record<SpaceName, SpaceInfo>>): Promise<void> {
    return this.store.setSpaces(spaces);
  }

  async searchVectors(
    space: SpaceName,
    vector: Float32Array,
    k: number,
    filter?: SearchFilter,
  ): Promise<ScoredSegment[]> {
    await this.flush();
    return this.store.searchVectors(space, vector, k, filter);
  }

  async searchKeywords(query: string, k: number, filter?: SearchFilter): Promise<ScoredSegment[]> {
    await this.flush();
    return this.store.searchKeywords(query, k, filter);
  }

  async getSegments(ids: string[]): Promise<StoredSegment[]> {
    await this.flush();
    return this.store.getSegments(ids);
  }

  async getThumbnail(segmentId: string): Promise<Uint8Array | undefined> {
    await this.flush();
    return this.store.getThumbnail(segmentId);
  }

  async countSegments(): Promise<Record<SpaceName, number>> {
    await this.flush();
    return this.store.countSegments();
  }

  async optimize(): Promise<void> {
    await this.flush();
    await this.store.optimize();
  }

  async close(): Promise<void> {
    await this.flush();
    await this.store.close();
  }
}
