/**
 * The pipeline key stored with every source: the pipeline version and the model ids that made
 * its segments. When it differs from the current one the file is redone, and the note says why
 * in words: which model changed from what to what, or that the pipeline version moved.
 */

/** Role names as a person reads them, by their key in `modelSetKey`. */
const ROLE_NAMES: Record<string, string> = {
  text: 'text model',
  vision: 'image-text model',
  speech: 'speech model',
  ocr: 'OCR languages',
};

export function pipelineKeyOf(version: number, modelKey: string): string {
  return `v${version};${modelKey}`;
}

/** Why content under `previous` is redone under `current`, e.g. "text model changed from A to B". */
export function describeKeyChange(previous: string, current: string): string {
  const before = parseKey(previous);
  const after = parseKey(current);
  const changes: string[] = [];

  if (before.get('version') !== after.get('version')) {
    changes.push(
      `pipeline version changed from ${before.get('version') ?? '?'} to ${after.get('version')}`,
    );
  }
  for (const role of Object.keys(ROLE_NAMES)) {
    const was = before.get(role) ?? '-';
    const now = after.get(role) ?? '-';
    if (was !== now) changes.push(`${ROLE_NAMES[role]} changed from ${name(was)} to ${name(now)}`);
  }
  return changes.length > 0 ? changes.join(', ') : `the pipeline changed (was ${previous})`;
}

function parseKey(key: string): Map<string, string> {
  const parts = new Map<string, string>();
  for (const part of key.split(';')) {
    if (/^v\d+$/.test(part)) parts.set('version', part.slice(1));
    const equals = part.indexOf('=');
    if (equals > 0) parts.set(part.slice(0, equals), part.slice(equals + 1));
  }
  return parts;
}

function name(value: string): string {
  return value === '-' ? 'none' : value;
}
