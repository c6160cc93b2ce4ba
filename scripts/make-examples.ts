/**
 * Writes the example folder the quick start indexes. The outputs are committed, so a new user
 * has them at once; rerun this after changing what they should contain.
 *
 *   npx tsx scripts/make-examples.ts
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { textPng } from '../test/helpers/docs-visual-images.js';
import { scannedPdf, textPdf } from '../test/helpers/docs-visual-pdfs.js';

const root = join(import.meta.dirname, '..', 'examples');

const WRIST_REPORT = `# Radiology report: left wrist

Patient seen on 12 March after a fall on an outstretched hand.

## Findings

The X-ray of the left wrist shows a non-displaced fracture of the distal radius.
The carpal bones are intact and aligned. There is mild soft tissue swelling.

## Recommendation

A cast for six weeks, then a follow-up X-ray. The radiologist advises against lifting
heavy objects until the fracture has healed.
`;

const HANDBOOK = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Team handbook</title>
<style>body { font-family: sans-serif; }</style>
<script>console.log('analytics');</script></head>
<body>
<h1>Team handbook</h1>
<p>Welcome to the team. This page collects what new people ask in their first week.</p>
<h2>Coffee machine</h2>
<p>The espresso machine on the third floor is descaled every Friday morning.
Please empty the drip tray when the red light blinks.</p>
<h2>Expenses</h2>
<p>Travel expenses are reimbursed within ten days. Keep every receipt and attach a scan
to the expense report.</p>
</body>
</html>
`;

async function main(): Promise<void> {
  await mkdir(join(root, 'notes'), { recursive: true });
  await mkdir(join(root, 'docs'), { recursive: true });
  await mkdir(join(root, 'images'), { recursive: true });

  await writeFile(join(root, 'notes', 'wrist-xray-report.md'), WRIST_REPORT);
  await writeFile(join(root, 'notes', 'team-handbook.html'), HANDBOOK);

  await writeFile(
    join(root, 'docs', 'quarterly-report.pdf'),
    await textPdf([
      ['Quarterly report, third quarter', 'Revenue grew 12 percent to 4.2 million euros.'],
      [],
      [
        'Forecast',
        'We expect revenue of 4.6 million euros next quarter,',
        'driven by the new widget line.',
      ],
    ]),
  );

  const invoice = await textPng({ lines: ['INVOICE 4711', 'Acme Widgets GmbH', 'Total 1280 EUR'] });
  await writeFile(join(root, 'docs', 'scanned-invoice.pdf'), await scannedPdf([invoice]));

  await writeFile(
    join(root, 'images', 'whiteboard.png'),
    await textPng({ lines: ['Budget meeting', 'moved to Tuesday'] }),
  );

  // A picture with no words: only an image-text model can find it.
  const sunset = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="320">
      <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
        <stop offset="0" stop-color="#ff7a18"/><stop offset="1" stop-color="#ffb347"/>
      </linearGradient></defs>
      <rect width="480" height="320" fill="url(#sky)"/>
      <circle cx="240" cy="230" r="70" fill="#ff4500"/>
      <rect y="250" width="480" height="70" fill="#1e3a5f"/>
    </svg>`,
  );
  await writeFile(join(root, 'images', 'sunset.jpg'), await sharp(sunset).jpeg().toBuffer());
}

await main();
// examples/audio/standup.wav is speech synthesised once with espeak-ng (Debian) and kept as it
// is: `espeak-ng -s 150 -w standup.wav "Good morning everyone. Quick stand up. The budget
// meeting has moved to Tuesday at ten. Please send your revenue forecast before the deadline
// on Friday."`, then `ffmpeg -i standup.wav -ac 1 -ar 16000 -c:a pcm_s16le`.
