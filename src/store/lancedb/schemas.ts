/**
 * Table names, Arrow schemas and the conversion between rows and the store's records.
 * Numbers are Float64 (not Int64) so rows come back as JS numbers, not bigints.
 */
import { Binary, Field, FixedSizeList, Float32, Float64, Int32, Schema, Utf8 } from 'apache-arrow';

import type { EmbeddedSegment, Locator, SpaceName, StoredSegment } from '../../types.js';
import type { SourceRecord } from '../store.js';

export const SOURCES_TABLE = 'sources';
export const THUMBNAILS_TABLE = 'thumbnails';
export const SEGMENT_TABLES: Record<SpaceName, string> = {
  text: 'text_segments',
  vision: 'vision_segments',
};
export const SPACES: readonly SpaceName[] = ['text', 'vision'];

/** Segment columns read back for search results (the vector stays on disk). */
export const SEGMENT_COLUMNS = ['id', 'contentHash', 'modality', 'kind', 'text', 'locator'];

export function sourcesSchema(): Schema {
  return new Schema([
    new Field('path', new Utf8(), false),
    new Field('contentHash', new Utf8(), false),
    new Field('pipelineKey', new Utf8(), false),
    new Field('modality', new Utf8(), false),
    new Field('size', new Float64(), false),
    new Field('mtimeMs', new Float64(), false),
    new Field('indexedAt', new Float64(), false),
    new Field('status', new Utf8(), false),
    new Field('reason', new Utf8(), false),
    new Field('segmentCount', new Int32(), false),
  ]);
}

export function segmentsSchema(dimension: number): Schema {
  return new Schema([
    new Field('id', new Utf8(), false),
    new Field('contentHash', new Utf8(), false),
    new Field('modality', new Utf8(), false),
    new Field('kind', new Utf8(), false),
    new Field('text', new Utf8(), false),
    new Field('locator', new Utf8(), false),
    new Field(
      'vector',
      new FixedSizeList(dimension, new Field('item', new Float32(), true)),
      false,
    ),
  ]);
}

export function thumbnailsSchema(): Schema {
  return new Schema([
    new Field('segmentId', new Utf8(), false),
    new Field('contentHash', new Utf8(), false),
    new Field('bytes', new Binary(), false),
  ]);
}

export function sourceToRow(source: SourceRecord): Record<string, unknown> {
  return { ...source, segmentCount: Math.trunc(source.segmentCount) };
}

export function rowToSource(row: Record<string, unknown>): SourceRecord {
  return {
    path: String(row.path),
    contentHash: String(row.contentHash),
    pipelineKey: String(row.pipelineKey),
    modality: row.modality as SourceRecord['modality'],
    size: Number(row.size),
    mtimeMs: Number(row.mtimeMs),
    indexedAt: Number(row.indexedAt),
    status: row.status as SourceRecord['status'],
    reason: String(row.reason),
    segmentCount: Number(row.segmentCount),
  };
}

export function segmentToRow(segment: EmbeddedSegment): Record<string, unknown> {
  return {
    id: segment.id,
    contentHash: segment.contentHash,
    modality: segment.modality,
    kind: segment.kind,
    text: segment.text ?? '',
    locator: JSON.stringify(segment.locator ?? {}),
    vector: Array.from(segment.vector),
  };
}

export function rowToSegment(row: Record<string, unknown>): StoredSegment {
  return {
    id: String(row.id),
    contentHash: String(row.contentHash),
    modality: row.modality as StoredSegment['modality'],
    kind: row.kind as StoredSegment['kind'],
    text: String(row.text),
    locator: JSON.parse(String(row.locator)) as Locator,
  };
}
