/**
 * Search hits on screen: pictures and PDF pages as a grid of thumbnails with the matched box
 * drawn on them; passages and recordings as a list with the query's words marked and a player
 * that starts at the matched second. Every hit opens its evidence.
 */

import { mediaUrl } from './api-client.js';
import type { Evidence, SearchHit } from './api-types.js';
import { baseName, h } from './dom.js';
import { openEvidence } from './evidence-panel.js';
import { highlighted } from './highlight.js';
import { describeLocator, MODALITY_LABELS } from './locator-text.js';
import { audioUrl, seekWhenReady } from './media-urls.js';
import { regionImage } from './region-image.js';

export function isVisualHit(hit: SearchHit): boolean {
  return hit.modality === 'image' || hit.modality === 'pdf';
}

export function hitEvidence(hit: SearchHit, terms: string[]): Evidence {
  return {
    path: hit.path,
    modality: hit.modality,
    kind: hit.kind,
    locator: hit.locator,
    text: hit.snippet,
    segmentId: hit.segmentId,
    terms,
  };
}

export function resultCard(hit: SearchHit, rank: number, terms: string[]): HTMLElement {
  const name = baseName(hit.path);
  const where = describeLocator(hit.locator, hit.modality);
  return h(
    'li',
    { class: 'card', 'data-path': hit.path, 'data-modality': hit.modality },
    h(
      'button',
      {
        type: 'button',
        class: 'card-open',
        'aria-label': `Open result ${rank}: ${name}${where ? `, ${where}` : ''}`,
        onclick: () => openEvidence(hitEvidence(hit, terms)),
      },
      regionImage({ src: cardPicture(hit), alt: '', bbox: hit.locator.bbox }),
    ),
    h(
      'div',
      { class: 'card-body' },
      h(
        'p',
        { class: 'hit-meta' },
        badge(hit),
        h('span', { class: 'hit-name', title: hit.path }, name),
        where ? h('span', { class: 'hit-where' }, where) : null,
      ),
      // A picture segment's snippet is a placeholder ("[picture]"); the thumbnail says more.
      hit.snippet && hit.kind !== 'image'
        ? h('p', { class: 'snippet' }, highlighted(hit.snippet, terms))
        : null,
    ),
  );
}

export function resultRow(hit: SearchHit, rank: number, terms: string[]): HTMLElement {
  const name = baseName(hit.path);
  const where = describeLocator(hit.locator, hit.modality);
  const player =
    hit.modality === 'audio'
      ? h('audio', {
          controls: true,
          preload: 'none',
          src: audioUrl(hit.segmentId, hit.locator.start),
          'aria-label': `Play ${name} from ${where || 'the start'}`,
        })
      : null;
  if (player) seekWhenReady(player, hit.locator.start);

  return h(
    'li',
    { class: 'hit', 'data-path': hit.path, 'data-modality': hit.modality },
    h(
      'p',
      { class: 'hit-meta' },
      badge(hit),
      h(
        'button',
        {
          type: 'button',
          class: 'link hit-name',
          title: hit.path,
          'aria-label': `Open result ${rank}: ${name}${where ? `, ${where}` : ''}`,
          onclick: () => openEvidence(hitEvidence(hit, terms)),
        },
        name,
      ),
      where ? h('span', { class: 'hit-where' }, where) : null,
    ),
    h('p', { class: 'snippet' }, highlighted(hit.snippet, terms)),
    player,
  );
}

/** Grid pictures: the segment's thumbnail, the PDF page, or the picture the OCR box is on. */
function cardPicture(hit: SearchHit): string {
  if (hit.media.page) return mediaUrl(hit.media.page, { width: '480' });
  return mediaUrl(hit.media.thumbnail ?? hit.media.file);
}

function badge(hit: SearchHit): HTMLElement {
  const label = hit.kind === 'ocr' ? `${MODALITY_LABELS[hit.modality]} · OCR` : null;
  return h(
    'span',
    { class: `badge badge-${hit.modality}` },
    label ?? MODALITY_LABELS[hit.modality],
  );
}
