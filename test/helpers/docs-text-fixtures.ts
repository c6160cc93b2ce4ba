/** Inputs for the sources, text-extraction and chunking tests, made on the spot. */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import wavefile from 'wavefile';

const run = promisify(execFile);

export async function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'mmrag-'));
}

/** Deterministic noise: the same bytes every run, so a lucky magic number cannot flake a test. */
export function noiseBytes(length: number, seed = 12345): Uint8Array {
  const out = new Uint8Array(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state >>> 24;
  }
  return out;
}

export const hasFfmpeg = await run('ffmpeg', ['-version']).then(
  () => true,
  () => false,
);

export interface BinarySample {
  bytes: Uint8Array;
  mime: string;
  modality: 'pdf' | 'image' | 'audio';
}

/** One small real file of every binary type the sniffer must know. */
export async function binarySamples(): Promise<Record<string, BinarySample>> {
  const pixels = { create: { width: 8, height: 8, channels: 3 as const, background: '#3366cc' } };
  const image = (format: 'png' | 'jpeg' | 'webp' | 'gif' | 'tiff') =>
    sharp(pixels).toFormat(format).toBuffer();

  const pdf = await PDFDocument.create();
  pdf.addPage([100, 100]);

  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, 16000, '16', new Int16Array(1600));

  const samples: Record<string, BinarySample> = {
    pdf: { bytes: await pdf.save(), mime: 'application/pdf', modality: 'pdf' },
    png: { bytes: await image('png'), mime: 'image/png', modality: 'image' },
    jpeg: { bytes: await image('jpeg'), mime: 'image/jpeg', modality: 'image' },
    webp: { bytes: await image('webp'), mime: 'image/webp', modality: 'image' },
    gif: { bytes: await image('gif'), mime: 'image/gif', modality: 'image' },
    tiff: { bytes: await image('tiff'), mime: 'image/tiff', modality: 'image' },
    bmp: { bytes: bmpBytes(), mime: 'image/bmp', modality: 'image' },
    wav: { bytes: wav.toBuffer(), mime: 'audio/wav', modality: 'audio' },
  };

  if (hasFfmpeg) {
    const dir = await tempDir();
    const formats = [
      ['mp3', 'audio/mpeg', []],
      ['flac', 'audio/flac', []],
      ['ogg', 'audio/ogg', ['-c:a', 'libvorbis']],
      ['m4a', 'audio/x-m4a', ['-c:a', 'aac']],
    ] as const;
    for (const [extension, mime, codec] of formats) {
      const file = path.join(dir, `tone.${extension}`);
      const tone = ['-f', 'lavfi', '-i', 'sine=frequency=440:duration=0.3'];
      await run('ffmpeg', ['-v', 'error', '-y', ...tone, ...codec, file]);
      samples[extension] = { bytes: await fs.readFile(file), mime, modality: 'audio' };
    }
    await fs.rm(dir, { recursive: true, force: true });
  }
  return samples;
}

/** A 2×2 24-bit BMP, written by hand (sharp does not write BMP). */
function bmpBytes(): Uint8Array {
  const rowBytes = 8; // 2 pixels × 3 bytes, padded to 4
  const pixelBytes = rowBytes * 2;
  const buffer = Buffer.alloc(54 + pixelBytes);
  buffer.write('BM', 0, 'latin1');
  buffer.writeUInt32LE(buffer.length, 2);
  buffer.writeUInt32LE(54, 10);
  buffer.writeUInt32LE(40, 14);
  buffer.writeInt32LE(2, 18);
  buffer.writeInt32LE(2, 22);
  buffer.writeUInt16LE(1, 26);
  buffer.writeUInt16LE(24, 28);
  buffer.writeUInt32LE(pixelBytes, 34);
  return buffer;
}
