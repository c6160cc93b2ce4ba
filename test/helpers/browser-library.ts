/**
 * The small library the browser tests search: a Markdown note, a text PDF, a coloured picture
 * pair, a picture with printed words, and a recording whose words start after a pause.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { textPng } from './docs-visual-images.js';
import { textPdf } from './docs-visual-pdfs.js';
import { silence, synthesizeSpeech, writeWav } from './speech-tones.js';

/** Where the recording's words begin, in seconds. */
export const SPEECH_START_SECONDS = 3;

export async function solidPng(rgb: [number, number, number]): Promise<Buffer> {
  const [r, g, b] = rgb;
  return sharp({ create: { width: 96, height: 64, channels: 3, background: { r, g, b } } })
    .png()
    .toBuffer();
}

/** Writes the library under `root` and returns its folder. */
export async function makeBrowserLibrary(root: string): Promise<string> {
  const dir = join(root, 'library');
  await mkdir(dir, { recursive: true });

  await writeFile(
    join(dir, 'wrist.md'),
    '# Radiology\n\n## Findings\n\nThe x-ray of the left wrist shows a small fracture of the ' +
      'distal radius.\n\n## Plan\n\nA cast for six weeks, then a follow-up visit.\n',
  );
  await writeFile(
    join(dir, 'report.pdf'),
    await textPdf([['Quarterly report', 'Next quarter we expect strong sales of umbrellas.']]),
  );
  await writeFile(join(dir, 'red.png'), await solidPng([220, 30, 30]));
  await writeFile(join(dir, 'blue.png'), await solidPng([30, 40, 220]));
  await writeFile(
    join(dir, 'parking.png'),
    await textPng({ lines: ['Parking permit', 'Garage level two'] }),
  );
  const speech = Float32Array.from([
    ...silence(SPEECH_START_SECONDS),
    ...synthesizeSpeech(['budget', 'meeting', 'tuesday']),
    ...silence(1),
  ]);
  await writeWav(join(dir, 'standup.wav'), [speech], 16000, 16);
  return dir;
}
