/**
 * A picture with the matched region drawn on it. Boxes are fractions of the picture, so the
 * overlay is placed in percentages and stays right at any size the layout gives the picture.
 */
import type { BoundingBox } from '../../types.js';
import { h } from './dom.js';

export interface RegionImageOptions {
  src: string;
  alt: string;
  bbox?: BoundingBox;
  /** Lazy for result grids; eager in the evidence panel. */
  loading?: 'lazy' | 'eager';
  className?: string;
}

export function regionImage(options: RegionImageOptions): HTMLElement {
  const { src, alt, bbox, loading = 'lazy', className = '' } = options;
  const frame = h('div', { class: `region-image loading ${className}`.trim() });
  const image = h('img', { src, alt, loading, decoding: 'async' });

  image.addEventListener('load', () => frame.classList.remove('loading'));
  image.addEventListener('error', () => {
    frame.classList.remove('loading');
    frame.classList.add('broken');
    image.remove();
    frame.append(h('span', { class: 'broken-label' }, 'Picture not available'));
  });
  frame.append(image);

  if (bbox) {
    const [x0, y0, x1, y1] = bbox.map((value) => Math.min(1, Math.max(0, value))) as BoundingBox;
    // Set through the CSSOM rather than a style attribute, which a strict CSP would refuse.
    const box = h('div', { class: 'region-box', 'aria-hidden': 'true' });
    box.style.left = pct(x0);
    box.style.top = pct(y0);
    box.style.width = pct(x1 - x0);
    box.style.height = pct(y1 - y0);
    frame.append(box);
  }
  return frame;
}

function pct(fraction: number): string {
  return `${(fraction * 100).toFixed(2)}%`;
}
