/**
 * The store interface. The embedded default is LanceDB (store/lancedb); a server database
 * (Postgres + pgvector) can implement the same contract.
 *
 * Writes go through `commit`: one call is applied whole or not at all, even across a crash,
 * so a file is either fully indexed or absent.
 */
import type { EmbeddedSegment, Modality, SegmentKind, SpaceName, StoredSegment } from '../types.js';

/** What the index knows about one path. */
export interface SourceRecord {
  /** Absolute path as the user reached it. The primary key. */
  path: string;
  /** sha256 of the bytes, hex. Empty when the file failed before it could be hashed. */
  contentHash: string;
  /** Pipeline version plus the model ids that produced the content. */
  pipelineKey: string;
  modality: Modality | 'unknown';
  size: number;
  mtimeMs: number;
  /** When this record was written, ms since the epoch. */
  indexedAt: number;
  status: 'indexed' | 'skipped' | 'failed';
  /** Why a source was skipped or failed; notes for indexed ones. */
  reason: string;
  segmentCount: number;
}

/** A model that produced the vectors of one space. */
export interface SpaceInfo {
  model: string;
  dimension: number;
}

/** Restricts a search. Every retriever applies the same filter. */
export interface SearchFilter {
  modalities?: Modality[];
  kinds?: SegmentKind[];
  /** Content hashes to search within (the engine resolves path and date filters to these). */
  contentHashes?: string[];
}

export interface ScoredSegment {
  segment: StoredSegment;
  /** Similarity (dense: cosine, higher is better) or BM25 score. */
  score: number;
}

/** One atomic change to the index. */
export interface CommitBatch {
  /** Source rows to insert or replace (by path). */
  upsertSources?: SourceRecord[];
  /** Paths whose source rows go. */
  removeSources?: string[];
  /** New content: all segments of each content hash, with vectors. */
  addSegments?: EmbeddedSegment[];
  /** Content hashes whose segments (in every space) and thumbnails go. */
  removeContent?: string[];
}

export interface Store {
  /** The model behind each space, recorded on first write; undefined for an empty index. */
  spaces(): Promise<Partial<Record<SpaceName, SpaceInfo>>>;
  /** Records the space models. Fails when the index already holds another model's vectors. */
  setSpaces(spaces: Partial<Record<SpaceName, SpaceInfo>>): Promise<void>;

  getSource(path: string): Promise<SourceRecord | undefined>;
  listSources(): Promise<SourceRecord[]>;
  /** Paths of indexed sources with this content, in the order they were first indexed. */
  pathsForContent(contentHash: string): Promise<string[]>;
  /** True when segments for this content hash and pipeline key are stored. */
  hasContent(contentHash: string, pipelineKey: string): Promise<boolean>;

  commit(batch: CommitBatch): Promise<void>;

  /** Nearest neighbours by cosine similarity, best first. */
  searchVectors(
    space: SpaceName,
    vector: Float32Array,
    k: number,
    filter?: SearchFilter,
  ): Promise<ScoredSegment[]>;
  /** BM25 over all text segments, best first. */
  searchKeywords(query: string, k: number, filter?: SearchFilter): Promise<ScoredSegment[]>;

  getSegments(ids: string[]): Promise<StoredSegment[]>;
  getThumbnail(segmentId: string): Promise<Uint8Array | undefined>;
  countSegments(): Promise<Record<SpaceName, number>>;

  /** Compacts files and builds or refreshes indexes once tables are large enough. */
  optimize(): Promise<void>;
  close(): Promise<void>;
}
