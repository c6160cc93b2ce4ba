/** Locators in words, for labels: "page 3", "0:38–0:45", "Radiology › Findings". */
import type { Locator, Modality } from './api-types.js';
import { formatSeconds } from './dom.js';

export function describeLocator(locator: Locator, modality: Modality): string {
  const parts: string[] = [];
  if (locator.page !== undefined) parts.push(`page ${locator.page}`);
  if (locator.start !== undefined) {
    const end = locator.end === undefined ? '' : `–${formatSeconds(locator.end)}`;
    parts.push(`${formatSeconds(locator.start)}${end}`);
  }
  if (locator.headingPath?.length) parts.push(locator.headingPath.join(' › '));
  if (modality === 'image' && locator.bbox) parts.push('region');
  return parts.join(' · ');
}

export const MODALITY_LABELS: Record<Modality, string> = {
  text: 'Text',
  pdf: 'PDF',
  image: 'Image',
  audio: 'Audio',
};
