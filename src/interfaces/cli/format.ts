/** Human-readable output. Everything here returns strings; the commands decide where they go. */
import type { IndexStatus } from '../../engine.js';
import type { IngestReport } from '../../ingest/report.js';
import type { Locator, SearchResult } from '../../types.js';

/** `00:01:05.2`-style time, for audio locators. */
export function formatTime(seconds: number): string {
  const whole = Math.floor(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = seconds - h * 3600 - m * 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(h)}:${two(m)}:${s.toFixed(1).padStart(4, '0')}`;
}

export function formatLocator(locator: Locator): string {
  const parts: string[] = [];
  if (locator.page !== undefined) parts.push(`page ${locator.page}`);
  if (locator.start !== undefined) {
    parts.push(`${formatTime(locator.start)}–${formatTime(locator.end ?? locator.start)}`);
  }
  if (locator.headingPath?.length) parts.push(`§ ${locator.headingPath.join(' › ')}`);
  if (locator.charStart !== undefined && locator.page === undefined) {
    parts.push(`chars ${locator.charStart}–${locator.charEnd ?? locator.charStart}`);
  }
  if (locator.bbox) {
    const [x0, y0, x1, y1] = locator.bbox.map((v) => Math.round(v * 100));
    parts.push(`box ${x0},${y0}–${x1},${y1}%`);
  }
  return parts.join(', ');
}

export function formatResults(results: SearchResult[]): string {
  if (results.length === 0) return 'No results.';
  return results
    .map((result, i) => {
      const where = formatLocator(result.locator);
      const also = result.paths.length > 1 ? ` (also ${result.paths.length - 1} other path)` : '';
      const head = `${i + 1}. ${result.path}${also}  [${result.modality}/${result.kind}]`;
      const meta = `   ${where ? `${where} · ` : ''}score ${result.score.toFixed(4)}`;
      return `${head}\n${meta}\n   ${result.snippet}`;
    })
    .join('\n\n');
}

export function formatIngestSummary(report: IngestReport): string {
  const { counts } = report;
  const lines = [
    `Indexed ${counts.indexed}, unchanged ${counts.unchanged}, skipped ${counts.skipped}, ` +
      `failed ${counts.failed}${counts.removed ? `, removed ${counts.removed}` : ''} ` +
      `in ${(report.durationMs / 1000).toFixed(1)} s.`,
  ];
  const byModality = Object.entries(report.byModality)
    .map(([modality, n]) => `${modality} ${n}`)
    .join(', ');
  if (byModality) lines.push(`New or changed by type: ${byModality}.`);

  for (const status of ['failed', 'skipped'] as const) {
    const files = report.files.filter((file) => file.status === status);
    if (files.length === 0) continue;
    lines.push('', `${status === 'failed' ? 'Failed' : 'Skipped'}:`);
    for (const file of files) lines.push(`  ${file.path}\n    ${file.reason ?? ''}`);
  }

  const noted = report.files.filter((file) => file.status === 'indexed' && file.notes?.length);
  if (noted.length) {
    lines.push('', 'Notes:');
    for (const file of noted) lines.push(`  ${file.path}: ${file.notes!.join('; ')}`);
  }
  if (report.aborted) lines.push('', 'Stopped early: run the same command again to finish.');
  return lines.join('\n');
}

export function formatStatus(status: IndexStatus): string {
  const lines = [`Index: ${status.indexDir}`, `Models: ${status.models.name}`];
  lines.push(`  text   ${status.models.text.id}`);
  lines.push(`  vision ${status.models.vision?.id ?? '(none)'}`);
  lines.push(`  speech ${status.models.speech?.id ?? '(none)'}`);
  lines.push(
    `  ocr    ${status.models.ocr ? `tesseract (${status.models.ocr.languages})` : 'off'}`,
  );
  for (const limit of status.modelLimits) lines.push(`  note: ${limit}`);

  const files = Object.entries(status.files)
    .map(([modality, n]) => `${modality} ${n}`)
    .join(', ');
  lines.push(`Files: ${files || 'none'}`);
  lines.push(`Segments: text ${status.segments.text}, vision ${status.segments.vision}`);
  for (const [label, list] of [
    ['Skipped', status.skipped],
    ['Failed', status.failed],
  ] as const) {
    if (list.length === 0) continue;
    lines.push(`${label} (${list.length}):`);
    for (const entry of list) lines.push(`  ${entry.path}\n    ${entry.reason}`);
  }
  // Ingest's skipped count also holds what the walk left out, which has no record to list.
  lines.push(
    'Not listed: what the walk left out (hidden, .gitignore, links, repeats); ingest reports it.',
  );
  return lines.join('\n');
}
