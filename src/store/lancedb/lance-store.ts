/**
 * The embedded store: one LanceDB database in a folder, made atomic across tables by the
 * manifest (manifest.ts) and single-writer by the lock file (writer-lock.ts).
 */
import fs from 'node:fs/promises';
import path from 'node:path';

import type * as LanceDb from '@lancedb/lancedb';
import type { Schema } from 'apache-arrow';

import { MmragError } from '../../errors.js';
import type { EmbeddedSegment, SpaceName, StoredSegment } from '../../types.js';
import type {
  CommitBatch,
  ScoredSegment,
  SearchFilter,
  SourceRecord,
  SpaceInfo,
  Store,
} from '../store.js';
import { sanitizeKeywordQuery } from './fts-query.js';
import {
  emptyManifest,
  MANIFEST_FILE,
  type Manifest,
  readManifest,
  removeStaleManifestTemps,
  writeManifest,
} from './manifest.js';
import {
  rowToSegment,
  rowToSource,
  SEGMENT_COLUMNS,
  SEGMENT_TABLES,
  SOURCES_TABLE,
  SPACES,
  segmentsSchema,
  segmentToRow,
  sourcesSchema,
  sourceToRow,
  THUMBNAILS_TABLE,
  thumbnailsSchema,
} from './schemas.js';
import { chunks, sqlAnd, sqlIn, sqlString } from './sql.js';
import { acquireWriterLock, type WriterLock } from './writer-lock.js';

type Lance = typeof LanceDb;

/** Content hashes per search query; see searchInChunks. */
const SEARCH_IN_LIST_CHUNK = 10_000;
type Table = LanceDb.Table;

export interface LanceStoreOptions {
  /** The index folder. */
  dir: string;
  /**
   * 'write' takes the writer lock for the life of the store and repairs a half-written batch;
   * 'read' takes no lock, changes nothing and follows the writer's commits as they land.
   * @default 'write'
   */
  mode?: 'read' | 'write';
  /** Create the folder and an empty index when there is none (write mode only). @default true */
  create?: boolean;
  /**
   * A vector table gets an ANN index (IVF_HNSW_SQ, cosine) in `optimize()` once it holds more
   * rows than this. An exact scan of 100k × 512 takes about 280 ms on 2 cores, so 50k keeps
   * flat search near 140 ms, and small indexes skip a build that takes tens of seconds.
   * @default 50_000
   */
  annThreshold?: number;
  /** Retrain the ANN index once the table has grown by this factor since training. @default 2 */
  annRetrainGrowth?: number;
  /**
   * `optimize()` deletes table versions older than this. Readers in other processes move to the
   * newest manifest before each call, so only a query in flight for this long could be hit.
   * @default 60_000 (one minute)
   */
  keepVersionsMs?: number;
  /**
   * Every this many commits, `commit` also compacts and folds new rows into the keyword index
   * (no ANN training). Each commit adds a small fragment per table, and unindexed keyword rows
   * are scanned flat: at 10k rows in 500 fragments a keyword query took 185 ms instead of 4 ms
   * and a commit 90 ms instead of 25 ms. 0 turns it off.
   * @default 100
   */
  autoOptimizeEvery?: number;
}

/** What opening a writer repaired after a crash. */
export interface RecoveryReport {
  /** Tables rolled back to the manifest's version. */
  restored: string[];
  /** Tables created by a batch that never committed. */
  dropped: string[];
}

/** A Store on LanceDB, plus what its opening repaired. */
export interface LanceStore extends Store {
  readonly dir: string;
  readonly mode: 'read' | 'write';
  readonly recovery: RecoveryReport;
}

type Settings = Required<LanceStoreOptions>;

const DEFAULTS: Omit<Settings, 'dir'> = {
  mode: 'write',
  create: true,
  annThreshold: 50_000,
  annRetrainGrowth: 2,
  keepVersionsMs: 60_000,
  autoOptimizeEvery: 100,
};

let lanceModule: Promise<Lance> | undefined;

/** Loads LanceDB once, after quieting its native logger (it prints WARN lines by default). */
function loadLance(): Promise<Lance> {
  process.env.LANCEDB_LOG ??= 'error';
  lanceModule ??= import('@lancedb/lancedb');
  return lanceModule;
}

/** Opens (and in write mode creates and repairs) the LanceDB index in `dir`. */
export async function openLanceStore(options: LanceStoreOptions): Promise<LanceStore> {
  const settings: Settings = { ...DEFAULTS, ...options };
  const dir = path.resolve(settings.dir);
  const lance = await loadLance();

  if (settings.mode === 'read') {
    const manifest = await readManifest(dir);
    if (!manifest) throw noIndex(dir);
    const db = await lance.connect(dir);
    return new LanceDbStore({ lance, db, dir, settings, manifest });
  }

  if (settings.create) await fs.mkdir(dir, { recursive: true });
  else if (!(await readManifest(dir))) throw noIndex(dir);

  const lock = await acquireWriterLock(dir);
  try {
    const db = await lance.connect(dir);
    let manifest = await readManifest(dir);

    if (!manifest) {
      // A folder with tables but no manifest is not ours (or lost its manifest): refuse rather
      // than drop tables we cannot account for.
      if ((await db.tableNames()).length > 0) {
        throw new MmragError('INDEX_CORRUPT', `${dir} holds tables but no ${MANIFEST_FILE}.`, {
          subject: dir,
          hint: 'point --index at an mmrag index folder, or at a new folder.',
        });
      }
      manifest = emptyManifest();
      await writeManifest(dir, manifest);
    }

    await removeStaleManifestTemps(dir);
    const store = new LanceDbStore({ lance, db, dir, settings, manifest, lock });
    await store.reconcile();
    return store;
  } catch (error) {
    await lock.release();
    throw error;
  }
}

function noIndex(dir: string): MmragError {
  return new MmragError('USAGE', `No mmrag index at ${dir}.`, {
    subject: dir,
    hint: 'index some files first, or check the --index folder.',
  });
}

interface StoreParts {
  lance: Lance;
  db: LanceDb.Connection;
  dir: string;
  settings: Settings;
  manifest: Manifest;
  lock?: WriterLock;
}

class LanceDbStore implements LanceStore {
  readonly dir: string;
  readonly mode: 'read' | 'write';
  recovery: RecoveryReport = { restored: [], dropped: [] };

  private readonly lance: Lance;
  private readonly db: LanceDb.Connection;
  private readonly settings: StoreParts['settings'];
  private readonly lock?: WriterLock;
  private manifest: Manifest;
  /** Which manifest file the reader holds: inode, mtime and size. */
  private manifestStamp = '';
  /** Handles pinned to the manifest's versions, for every read. */
  private readonly readTables = new Map<string, { table: Table; version: number }>();
  /** Handles at the latest version, for the writer's changes. */
  private readonly writeTables = new Map<string, Table>();
  /** Commits and other writes run one at a time, in call order. */
  private queue: Promise<unknown> = Promise.resolve();
  private commitsSinceOptimize = 0;
  private closed = false;

  constructor(parts: StoreParts) {
    this.lance = parts.lance;
    this.db = parts.db;
    this.dir = parts.dir;
    this.settings = parts.settings;
    this.manifest = parts.manifest;
    this.lock = parts.lock;
    this.mode = parts.lock ? 'write' : 'read';
  }

  // --- spaces ---------------------------------------------------------------------------------

  async spaces(): Promise<Partial<Record<SpaceName, SpaceInfo>>> {
    await this.follow();
    return structuredClone(this.manifest.spaces);
  }

  async setSpaces(spaces: Partial<Record<SpaceName, SpaceInfo>>): Promise<void> {
    await this.follow();
    const changed = this.checkSpaces(spaces);
    if (!changed) return;

    this.assertWritable();
    await this.serial(async () => {
      const next = structuredClone(this.manifest);
      next.spaces = { ...next.spaces, ...spaces };
      next.generation++;
      await writeManifest(this.dir, next);
      this.manifest = next;
    });
  }

  /** Throws MODEL_MISMATCH on a conflict; true when the record would change. */
  private checkSpaces(spaces: Partial<Record<SpaceName, SpaceInfo>>): boolean {
    let changed = false;

    for (const space of SPACES) {
      const wanted = spaces[space];
      const recorded = this.manifest.spaces[space];
      if (!wanted) continue;
      if (!recorded) {
        changed = true;
        continue;
      }

      // A space recorded from vectors alone (no model named yet) adopts the first model named.
      const modelDiffers = recorded.model !== '' && recorded.model !== wanted.model;
      if (modelDiffers || recorded.dimension !== wanted.dimension) {
        throw new MmragError(
          'MODEL_MISMATCH',
          `The ${space} space of the index at ${this.dir} was built with ${describe(recorded)}, ` +
            `not ${describe(wanted)}.`,
          {
            subject: wanted.model,
            hint: 're-index into a new --index folder, or run with the model the index was built with.',
          },
        );
      }
      if (recorded.model !== wanted.model) changed = true;
    }

    return changed;
  }

  // --- sources --------------------------------------------------------------------------------

  async getSource(sourcePath: string): Promise<SourceRecord | undefined> {
    const rows = await this.rows(SOURCES_TABLE, `path = ${sqlString(sourcePath)}`);
    return rows[0] && rowToSource(rows[0]);
  }

  async listSources(): Promise<SourceRecord[]> {
    const rows = await this.rows(SOURCES_TABLE);
    return rows.map(rowToSource).sort((a, b) => compareStrings(a.path, b.path));
  }

  async pathsForContent(contentHash: string): Promise<string[]> {
    const where = `contentHash = ${sqlString(contentHash)} AND status = 'indexed'`;
    const sources = (await this.rows(SOURCES_TABLE, where)).map(rowToSource);
    sources.sort((a, b) => a.indexedAt - b.indexedAt || compareStrings(a.path, b.path));
    return sources.map((source) => source.path);
  }

  async hasContent(contentHash: string, pipelineKey: string): Promise<boolean> {
    const hash = sqlString(contentHash);
    const sourceWhere = `contentHash = ${hash} AND pipelineKey = ${sqlString(pipelineKey)} AND status = 'indexed'`;
    if ((await this.count(SOURCES_TABLE, sourceWhere)) === 0) return false;

    for (const space of SPACES) {
      if ((await this.count(SEGMENT_TABLES[space], `contentHash = ${hash}`)) > 0) return true;
    }
    return false;
  }

  // --- commit ---------------------------------------------------------------------------------

  async commit(batch: CommitBatch): Promise<void> {
    this.assertWritable();
    return this.serial(async () => {
      await this.commitNow(batch);

      const every = this.settings.autoOptimizeEvery;
      if (every > 0 && ++this.commitsSinceOptimize >= every) await this.optimizeNow(false);
    });
  }

  private async commitNow(batch: CommitBatch): Promise<void> {
    const next = structuredClone(this.manifest);
    const bySpace = this.groupSegments(batch.addSegments ?? [], next);

    try {
      await this.writeSources(batch, next);
      await this.removeContent(batch.removeContent ?? [], next);

      for (const space of SPACES) {
        const segments = bySpace[space];
        if (segments.length === 0) continue;
        const dimension = next.spaces[space]!.dimension;
        const table = await this.tableForWrite(SEGMENT_TABLES[space], segmentsSchema(dimension));
        await table.add(segments.map(segmentToRow));
        await this.ensureScalarIndexes(table, space);
        next.tables[table.name] = await table.version();
      }

      const thumbnails = (batch.addSegments ?? []).filter((s) => s.thumbnail !== undefined);
      if (thumbnails.length > 0) {
        const table = await this.tableForWrite(THUMBNAILS_TABLE, thumbnailsSchema());
        await table.add(
          thumbnails.map((s) => ({
            segmentId: s.id,
            contentHash: s.contentHash,
            bytes: s.thumbnail,
          })),
        );
        next.tables[table.name] = await table.version();
      }

      // The batch becomes visible here, and only here.
      next.generation++;
      await writeManifest(this.dir, next);
      this.manifest = next;
    } catch (error) {
      // Put every table back to the manifest, as a reopen after a crash would. Should that fail
      // too, the next open repairs it; the first error is the one worth reporting.
      await this.reconcile().catch(() => undefined);
      throw error;
    }
  }

  /** Splits segments by space and checks (or first records) each space's dimension. */
  private groupSegments(
    segments: EmbeddedSegment[],
    next: Manifest,
  ): Record<SpaceName, EmbeddedSegment[]> {
    const bySpace: Record<SpaceName, EmbeddedSegment[]> = { text: [], vision: [] };

    for (const segment of segments) {
      const recorded = next.spaces[segment.space];
      if (!recorded) next.spaces[segment.space] = { model: '', dimension: segment.vector.length };
      const dimension = next.spaces[segment.space]!.dimension;

      if (segment.vector.length !== dimension) {
        throw new MmragError(
          'MODEL_MISMATCH',
          `Segment ${segment.id} has a ${segment.vector.length}-dimensional vector; the ` +
            `${segment.space} space of the index at ${this.dir} holds ${dimension} dimensions.`,
          {
            subject: segment.id,
            hint: 're-index into a new --index folder, or run with the model the index was built with.',
          },
        );
      }
      bySpace[segment.space].push(segment);
    }

    return bySpace;
  }

  private async writeSources(batch: CommitBatch, next: Manifest): Promise<void> {
    const removals = batch.removeSources ?? [];
    // The last record of a path wins; merge-insert rejects a key that appears twice.
    const upserts = [...new Map((batch.upsertSources ?? []).map((s) => [s.path, s])).values()];
    if (removals.length === 0 && upserts.length === 0) return;

    const table = await this.tableForWrite(SOURCES_TABLE, sourcesSchema());
    for (const piece of chunks(removals)) await table.delete(sqlIn('path', piece));
    if (upserts.length > 0) {
      await table
        .mergeInsert('path')
        .whenMatchedUpdateAll()
        .whenNotMatchedInsertAll()
        .execute(upserts.map(sourceToRow));
    }
    next.tables[table.name] = await table.version();
  }

  private async removeContent(hashes: string[], next: Manifest): Promise<void> {
    if (hashes.length === 0) return;

    for (const name of [...Object.values(SEGMENT_TABLES), THUMBNAILS_TABLE]) {
      if (next.tables[name] === undefined) continue;
      const table = await this.tableForWrite(name);
      for (const piece of chunks(hashes)) await table.delete(sqlIn('contentHash', piece));
      next.tables[name] = await table.version();
    }
  }

  /**
   * Indexes built once, on a table's first rows: BM25 on the text, and a B-tree on contentHash
   * for the content filters and deletions. LanceDB 0.31 also searches rows added after an index
   * was built (a flat pass over unindexed fragments); `optimize()` folds them in.
   */
  private async ensureScalarIndexes(table: Table, space: SpaceName): Promise<void> {
    const indexed = new Set((await table.listIndices()).flatMap((index) => index.columns));
    if (space === 'text' && !indexed.has('text')) {
      await table.createIndex('text', { config: this.lance.Index.fts() });
    }
    if (!indexed.has('contentHash')) {
      await table.createIndex('contentHash', { config: this.lance.Index.btree() });
    }
  }

  // --- search ---------------------------------------------------------------------------------

  async searchVectors(
    space: SpaceName,
    vector: Float32Array,
    k: number,
    filter: SearchFilter = {},
  ): Promise<ScoredSegment[]> {
    await this.follow();
    const dimension = this.manifest.spaces[space]?.dimension;
    if (dimension !== undefined && vector.length !== dimension) {
      throw new MmragError(
        'MODEL_MISMATCH',
        `The query vector has ${vector.length} dimensions; the ${space} space holds ${dimension}.`,
        {
          subject: this.manifest.spaces[space]?.model,
          hint: 'search with the model the index was built with.',
        },
      );
    }

    const table = await this.tableForRead(SEGMENT_TABLES[space]);
    if (!table || k <= 0) return [];

    return this.searchInChunks(filter, k, (where) => {
      let query = table
        .vectorSearch(vector)
        .distanceType('cosine')
        .select(SEGMENT_COLUMNS)
        .limit(k);
      if (where) query = query.where(where);
      return query
        .toArray()
        .then((rows) => rows.map((row) => scored(row, 1 - Number(row._distance))));
    });
  }

  async searchKeywords(
    query: string,
    k: number,
    filter: SearchFilter = {},
  ): Promise<ScoredSegment[]> {
    const terms = sanitizeKeywordQuery(query);
    if (terms === '' || k <= 0) return [];

    const table = await this.tableForRead(SEGMENT_TABLES.text);
    if (!table) return [];

    const match = new this.lance.MatchQuery(terms, 'text', { operator: this.lance.Operator.Or });
    return this.searchInChunks(filter, k, (where) => {
      let search = table.query().fullTextSearch(match).select(SEGMENT_COLUMNS).limit(k);
      if (where) search = search.where(where);
      return search.toArray().then((rows) => rows.map((row) => scored(row, Number(row._score))));
    });
  }

  /**
   * Runs one prefiltered search per piece of the content-hash list and keeps the best k overall,
   * which is exact. Pieces are large (10k hashes): one IN list of 3k hashes cost ~230 ms at 20k
   * rows where three of 1k cost ~490 ms, so most filters run as a single query.
   */
  private async searchInChunks(
    filter: SearchFilter,
    k: number,
    search: (where: string | undefined) => Promise<ScoredSegment[]>,
  ): Promise<ScoredSegment[]> {
    const base = sqlAnd([
      filter.modalities && sqlIn('modality', filter.modalities),
      filter.kinds && sqlIn('kind', filter.kinds),
    ]);
    if (!filter.contentHashes) return search(base);
    if (filter.contentHashes.length === 0) return [];

    const hits: ScoredSegment[] = [];
    for (const piece of chunks([...new Set(filter.contentHashes)], SEARCH_IN_LIST_CHUNK)) {
      hits.push(...(await search(sqlAnd([base, sqlIn('contentHash', piece)]))));
    }
    return hits.sort((a, b) => b.score - a.score).slice(0, k);
  }

  // --- segments -------------------------------------------------------------------------------

  async getSegments(ids: string[]): Promise<StoredSegment[]> {
    const found = new Map<string, StoredSegment>();
    const unique = [...new Set(ids)];

    for (const space of SPACES) {
      for (const piece of chunks(unique)) {
        const rows = await this.rows(SEGMENT_TABLES[space], sqlIn('id', piece), SEGMENT_COLUMNS);
        for (const row of rows) found.set(String(row.id), rowToSegment(row));
      }
    }

    return ids.flatMap((id) => found.get(id) ?? []);
  }

  async getThumbnail(segmentId: string): Promise<Uint8Array | undefined> {
    const rows = await this.rows(THUMBNAILS_TABLE, `segmentId = ${sqlString(segmentId)}`);
    const bytes = rows[0]?.bytes as Uint8Array | undefined;
    return bytes && new Uint8Array(bytes);
  }

  async countSegments(): Promise<Record<SpaceName, number>> {
    return {
      text: await this.count(SEGMENT_TABLES.text),
      vision: await this.count(SEGMENT_TABLES.vision),
    };
  }

  // --- maintenance ----------------------------------------------------------------------------

  async optimize(): Promise<void> {
    this.assertWritable();
    return this.serial(() => this.optimizeNow(true));
  }

  private async optimizeNow(trainAnn: boolean): Promise<void> {
    const next = structuredClone(this.manifest);
    this.commitsSinceOptimize = 0;

    // Compact and fold new rows into existing indexes, pruning nothing yet: until the manifest
    // names the new versions, a crash must still find the old ones.
    for (const name of Object.keys(next.tables)) {
      const table = await this.tableForWrite(name);
      await table.optimize({ cleanupOlderThan: new Date(0) });
      next.tables[name] = await table.version();
    }

    for (const space of SPACES) {
      const name = SEGMENT_TABLES[space];
      if (next.tables[name] === undefined) continue;
      const table = await this.tableForWrite(name);
      const rows = await table.countRows();
      const trainedAt = next.vectorIndexRows[space];

      const due = trainedAt === undefined || rows >= trainedAt * this.settings.annRetrainGrowth;
      if (!trainAnn || rows <= this.settings.annThreshold || !due) continue;

      await table.createIndex('vector', {
        config: this.lance.Index.hnswSq({ distanceType: 'cosine' }),
        replace: true,
      });
      next.vectorIndexRows[space] = rows;
      next.tables[name] = await table.version();
    }

    next.generation++;
    await writeManifest(this.dir, next);
    this.manifest = next;

    // Now the manifest names the newest versions, which pruning always keeps.
    const cutoff = new Date(Date.now() - this.settings.keepVersionsMs);
    for (const name of Object.keys(next.tables)) {
      await (await this.tableForWrite(name)).optimize({ cleanupOlderThan: cutoff });
    }
  }

  /**
   * Brings the tables on disk back to the manifest: tables newer than it (a batch that did not
   * commit) are restored to its version, tables it does not name are dropped.
   */
  async reconcile(): Promise<void> {
    const next = structuredClone(this.manifest);
    const report: RecoveryReport = { restored: [], dropped: [] };
    const onDisk = new Set(await this.db.tableNames());

    for (const name of onDisk) {
      const version = next.tables[name];
      if (version === undefined) {
        this.forget(name);
        await this.db.dropTable(name);
        report.dropped.push(name);
        continue;
      }

      const table = await this.tableForWrite(name);
      await table.checkoutLatest();
      const latest = await table.version();
      if (latest === version) continue;
      if (latest < version) throw this.corrupt(`table ${name} is older than the manifest`);

      await table.checkout(version);
      await table.restore();
      next.tables[name] = await table.version();
      report.restored.push(name);
    }

    for (const name of Object.keys(next.tables)) {
      if (!onDisk.has(name)) throw this.corrupt(`table ${name} is missing`);
    }

    if (report.restored.length > 0 || report.dropped.length > 0) {
      next.generation++;
      await writeManifest(this.dir, next);
      this.manifest = next;
    }
    this.recovery = report;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.catch(() => undefined);

    for (const { table } of this.readTables.values()) table.close();
    for (const table of this.writeTables.values()) table.close();
    this.readTables.clear();
    this.writeTables.clear();
    this.db.close();
    await this.lock?.release();
  }

  // --- table access ---------------------------------------------------------------------------

  /** A reader's view: the table at the manifest's version, or undefined when it has none. */
  private async tableForRead(name: string): Promise<Table | undefined> {
    await this.follow();
    const version = this.manifest.tables[name];
    if (version === undefined) return undefined;

    let entry = this.readTables.get(name);
    if (!entry) {
      entry = { table: await this.db.openTable(name), version: -1 };
      this.readTables.set(name, entry);
    }
    if (entry.version !== version) {
      await entry.table.checkout(version);
      entry.version = version;
    }
    return entry.table;
  }

  /** The writer's handle at the latest version, created (empty) when a schema is given. */
  private async tableForWrite(name: string, schema?: Schema): Promise<Table> {
    const open = this.writeTables.get(name);
    if (open) return open;

    const exists = (await this.db.tableNames()).includes(name);
    if (!exists && !schema) throw this.corrupt(`table ${name} is missing`);
    const table = exists
      ? await this.db.openTable(name)
      : await this.db.createEmptyTable(name, schema!);
    this.writeTables.set(name, table);
    return table;
  }

  private forget(name: string): void {
    this.readTables.get(name)?.table.close();
    this.writeTables.get(name)?.close();
    this.readTables.delete(name);
    this.writeTables.delete(name);
  }

  /** A reader picks up a newer manifest before each call; a writer's own is always current. */
  private async follow(): Promise<void> {
    this.assertOpen();
    if (this.mode === 'write') return;

    const stat = await fs.stat(path.join(this.dir, MANIFEST_FILE)).catch(() => undefined);
    if (!stat) throw noIndex(this.dir);
    const stamp = `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
    if (stamp === this.manifestStamp) return;

    this.manifest = (await readManifest(this.dir)) ?? this.manifest;
    this.manifestStamp = stamp;
  }

  private async rows(
    name: string,
    where?: string,
    columns?: string[],
  ): Promise<Record<string, unknown>[]> {
    const table = await this.tableForRead(name);
    if (!table) return [];

    let query = table.query();
    if (where) query = query.where(where);
    if (columns) query = query.select(columns);
    return (await query.toArray()) as Record<string, unknown>[];
  }

  private async count(name: string, where?: string): Promise<number> {
    const table = await this.tableForRead(name);
    return table ? table.countRows(where) : 0;
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new MmragError('USAGE', `The store at ${this.dir} is closed.`, {
        subject: this.dir,
        hint: 'open it again with openLanceStore.',
      });
    }
  }

  private assertWritable(): void {
    this.assertOpen();
    if (this.mode !== 'write') {
      throw new MmragError('USAGE', `The store at ${this.dir} was opened for reading.`, {
        subject: this.dir,
        hint: "open it with mode: 'write' to change it.",
      });
    }
  }

  private corrupt(what: string): MmragError {
    return new MmragError('INDEX_CORRUPT', `The index at ${this.dir} is damaged: ${what}.`, {
      subject: this.dir,
      hint: 're-index into a new --index folder.',
    });
  }
}

function scored(row: Record<string, unknown>, score: number): ScoredSegment {
  return { segment: rowToSegment(row), score };
}

function describe(info: SpaceInfo): string {
  return `${info.model || 'an unnamed model'} (${info.dimension} dimensions)`;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
