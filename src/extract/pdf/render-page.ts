/**
 * Renders a PDF page to pixels with pdf.js on its Node canvas (@napi-rs/canvas), white
 * behind the page as a viewer shows it.
 */
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/types/src/display/api.js';

import type { RgbImage } from '../../types.js';

export interface RenderPageOptions {
  /** The page's longest side in pixels. */
  longestSide: number;
}

interface CanvasAndContext {
  canvas: { width: number; height: number };
  context: CanvasRenderingContext2D;
}

interface CanvasFactory {
  create(width: number, height: number): CanvasAndContext;
  destroy(canvasAndContext: CanvasAndContext): void;
}

/** Drops the alpha channel of canvas pixels; the page was drawn on opaque white. */
function rgbaToRgb(rgba: Uint8ClampedArray): Uint8Array {
  const rgb = new Uint8Array((rgba.length / 4) * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    rgb[j] = rgba[i]!;
    rgb[j + 1] = rgba[i + 1]!;
    rgb[j + 2] = rgba[i + 2]!;
  }
  return rgb;
}

/** Renders one page so its longest side is `longestSide` pixels. */
export async function renderPage(
  doc: PDFDocumentProxy,
  page: PDFPageProxy,
  options: RenderPageOptions,
): Promise<RgbImage> {
  const unscaled = page.getViewport({ scale: 1 });
  const scale = options.longestSide / Math.max(unscaled.width, unscaled.height);
  const viewport = page.getViewport({ scale });
  const width = Math.max(1, Math.round(viewport.width));
  const height = Math.max(1, Math.round(viewport.height));

  // The document's own factory makes canvases of the @napi-rs/canvas copy pdf.js was built for.
  const factory = doc.canvasFactory as CanvasFactory;
  const target = factory.create(width, height);
  try {
    await page.render({
      canvas: target.canvas as unknown as HTMLCanvasElement,
      canvasContext: target.context,
      viewport,
      background: '#ffffff',
    }).promise;
    const pixels = target.context.getImageData(0, 0, width, height);
    return { width, height, data: rgbaToRgb(pixels.data) };
  } finally {
    factory.destroy(target);
  }
}

/** True when a rendered page is one flat colour: nothing on it to read. */
export function isBlank(image: RgbImage, tolerance = 12): boolean {
  const { data } = image;
  let min = 255;
  let max = 0;
  // Every 7th pixel is plenty to see whether anything was drawn, and 7 is coprime with 3.
  for (let i = 0; i < data.length; i += 7) {
    const value = data[i]!;
    if (value < min) min = value;
    if (value > max) max = value;
    if (max - min > tolerance) return false;
  }
  return true;
}
