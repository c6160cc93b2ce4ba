/**
 * The shapes the UI reads from the HTTP API (src/interfaces/http/API.md). Shared types come
 * from the engine as types only, so nothing of the server ends up in the bundle.
 */
import type { Locator, Modality, SegmentKind } from '../../types.js';

export type { Locator, Modality, SegmentKind };

export interface SearchHit {
  path: string;
  paths: string[];
  modality: Modality;
  kind: SegmentKind;
  locator: Locator;
  snippet: string;
  score: number;
  segmentId: string;
  matchedBy: Partial<Record<'text' | 'vision' | 'keyword', number>>;
  media: { file: string; thumbnail?: string; page?: string };
}

export interface SearchReply {
  query?: { text?: string; image?: 'upload' | null };
  results: SearchHit[];
  imageText?: string;
}

export interface Citation {
  n: number;
  path: string;
  modality: Modality;
  locator: Locator;
  quote: string;
  segmentId: string;
}

export interface AskReply {
  answer: string;
  citations: Citation[];
  model?: string;
  supported?: boolean;
}

export interface JobState {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  done: number;
  total: number;
  current?: string;
  report?: IngestReport;
  error?: { code: string; message: string };
}

export interface IngestReport {
  files: { path: string; status: string; reason?: string; modality?: Modality }[];
  counts: Record<'indexed' | 'unchanged' | 'skipped' | 'failed' | 'removed', number>;
}

export interface SourceRecord {
  path: string;
  modality: Modality | 'unknown';
  size: number;
  indexedAt: number;
  status: 'indexed' | 'skipped' | 'failed';
  reason: string;
  segmentCount: number;
}

export interface SourcesReply {
  sources: SourceRecord[];
  files: Partial<Record<Modality, number>>;
  failed: { path: string; reason: string }[];
  skipped: { path: string; reason: string }[];
}

export interface HealthReply {
  status: string;
  version?: string;
  index?: string;
  models?: string;
}

/** What the evidence panel shows: a search hit and a citation both reduce to this. */
export interface Evidence {
  path: string;
  modality: Modality;
  kind?: SegmentKind;
  locator: Locator;
  text: string;
  segmentId: string;
  /** Words to mark in the passage. */
  terms?: string[];
}
