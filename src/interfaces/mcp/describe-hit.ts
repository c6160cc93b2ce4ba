/** One line per hit that an assistant can quote and a person can check: file, place, text. */

import { neutralizeText } from '../../answer/prompt.js';
import type { Locator, SearchResult } from '../../types.js';

function clock(seconds: number): string {
  const whole = Math.floor(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

export function describeLocator(locator: Locator): string {
  const parts: string[] = [];
  if (locator.page !== undefined) parts.push(`page ${locator.page}`);
  if (locator.start !== undefined) {
    parts.push(`${clock(locator.start)}-${clock(locator.end ?? locator.start)}`);
  }
  if (locator.headingPath?.length) parts.push(locator.headingPath.join(' > '));
  return parts.join(', ');
}

export function describeHit(hit: SearchResult, n: number): string {
  const place = describeLocator(hit.locator);
  const where = place ? `${hit.path} (${place})` : hit.path;
  // The assistant reading this is a language model: markers in a file must not open a turn.
  const snippet = neutralizeText(hit.snippet);
  return `[${n}] ${where} [${hit.modality}/${hit.kind}]${snippet ? `\n    ${snippet}` : ''}`;
}
