/** The media endpoints of a segment (API.md, "Media"). */
import { mediaUrl } from './api-client.js';

function base(segmentId: string): string {
  return `/v1/media/${encodeURIComponent(segmentId)}`;
}

export function fileUrl(segmentId: string): string {
  return mediaUrl(`${base(segmentId)}/file`);
}

export function pageUrl(segmentId: string, width: number): string {
  return mediaUrl(`${base(segmentId)}/page`, { width: String(width) });
}

export function thumbnailUrl(segmentId: string): string {
  return mediaUrl(`${base(segmentId)}/thumbnail`);
}

/**
 * An audio source that starts at `start` seconds (a media fragment), for players that are
 * created before their metadata loads.
 */
export function audioUrl(segmentId: string, start: number | undefined): string {
  const url = fileUrl(segmentId);
  return start === undefined ? url : `${url}#t=${start.toFixed(2)}`;
}

/** Seeks once the duration is known, for browsers that ignore the fragment. */
export function seekWhenReady(audio: HTMLAudioElement, start: number | undefined): void {
  if (start === undefined || start <= 0) return;
  audio.addEventListener(
    'loadedmetadata',
    () => {
      if (Math.abs(audio.currentTime - start) > 0.25) audio.currentTime = start;
    },
    { once: true },
  );
}
