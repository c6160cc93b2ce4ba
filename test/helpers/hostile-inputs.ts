/**
 * The folder of hostile and broken inputs for test/hostile-inputs.test.ts, built on the spot in
 * Node (sharp, the WAV writer, pdf-lib). Each file name says which case of issue 3 it serves.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import sharp from 'sharp';
import { noiseBytes } from './docs-text-fixtures.js';
import { photoLikePng, sidewaysJpeg, textPng, truncatedJpeg } from './docs-visual-images.js';
import { encryptPdf, scannedPdf, textPdf } from './docs-visual-pdfs.js';
import {
  concat,
  noise,
  placeAt,
  silence,
  stereo,
  synthesizeSpeech,
  writeWav,
} from './speech-tones.js';

/** The three-section Markdown used for the CRLF case (and its LF twin). */
export const SECTIONS_MARKDOWN =
  '# Kitchen\n\nThe espresso machine is descaled on Fridays.\n\n' +
  '## Fridge\n\nLabel your lunch with your name and the date.\n\n' +
  '## Dishes\n\nThe dishwasher runs every evening at six.\n';

/** One sentence of `words` words, ending on a word found nowhere else. */
export function longSentence(words: number, lastWord: string): string {
  const vocabulary = ['river', 'stone', 'garden', 'lantern', 'window', 'harbour', 'meadow'];
  const out: string[] = [];
  for (let i = 0; i < words - 1; i++) out.push(vocabulary[i % vocabulary.length]!);
  out.push(lastWord);
  return `${out.join(' ')}.`;
}

/** Writes every hostile input under `root/batch` and returns that folder. */
export async function makeHostileBatch(root: string): Promise<string> {
  const dir = path.join(root, 'batch');
  const sub = (name: string) => path.join(dir, name);
  for (const folder of ['images', 'audio', 'pdf', 'text', 'names', 'links', 'empty', 'junk']) {
    await fs.mkdir(sub(folder), { recursive: true });
  }

  // Case 1: stored turned, with EXIF orientation 6.
  await fs.writeFile(
    sub('images/sideways.jpg'),
    await sidewaysJpeg({ lines: ['Harbour ferry', 'Timetable'] }),
  );

  // Case 2: one grey picture as a grey PNG, a grey JPEG and an RGB copy.
  const gray = await sharp(await photoLikePng())
    .toColourspace('b-w')
    .png()
    .toBuffer();
  await fs.writeFile(sub('images/gray.png'), gray);
  await fs.writeFile(sub('images/gray.jpg'), await sharp(gray).jpeg({ quality: 95 }).toBuffer());
  await fs.writeFile(sub('images/rgb-copy.png'), await rgbCopy(gray));

  // Case 3: a JPEG cut off part way, among good files.
  await fs.writeFile(
    sub('images/cut-off.jpg'),
    await truncatedJpeg(await textPng({ lines: ['never seen'] })),
  );

  // Case 4: stereo, different words on each channel.
  const rate = 44_100;
  const say = (words: string[], sampleRate = rate) => synthesizeSpeech(words, { sampleRate });
  await writeWav(
    sub('audio/stereo.wav'),
    stereo(
      placeAt(6, [{ at: 0.5, audio: say(['left', 'channel']) }], rate),
      placeAt(6, [{ at: 3, audio: say(['right', 'coffee']) }], rate),
    ),
    rate,
    16,
  );

  // Case 5: one phrase at three sample rates.
  const phrase = ['hello', 'world', 'budget', 'meeting'];
  for (const sampleRate of [8000, 16_000, 44_100]) {
    const audio = concat(
      silence(0.5, sampleRate),
      say(phrase, sampleRate),
      silence(0.5, sampleRate),
    );
    await writeWav(sub(`audio/rate-${sampleRate}.wav`), [audio], sampleRate, 16);
  }

  // Case 6: 70 seconds, the last words after the first minute.
  await writeWav(
    sub('audio/seventy-seconds.wav'),
    [
      placeAt(70, [
        { at: 5, audio: say(['project', 'deadline'], 16_000) },
        { at: 65, audio: say(['radiologist', 'wrist', 'fracture'], 16_000) },
      ]),
    ],
    16_000,
    16,
  );

  // Case 7: silence and faint noise.
  await writeWav(sub('audio/silence.wav'), [silence(10)], 16_000, 16);
  await writeWav(sub('audio/hiss.wav'), [noise(10, 0.01)], 16_000, 16);

  // Case 9: encrypted with an empty user password (readable) and with a real one.
  const secret = await textPdf([['Quarterly salaries', 'Confidential payroll figures']]);
  await fs.writeFile(sub('pdf/open-encrypted.pdf'), await encryptPdf(secret, { userPassword: '' }));
  await fs.writeFile(
    sub('pdf/locked.pdf'),
    await encryptPdf(await textPdf([['Locked ledger']]), { userPassword: 'hunter2' }),
  );

  // Case 8 and 10: a scan whose words sit on page 2, and a text layer around a blank page.
  await fs.writeFile(
    sub('pdf/scan.pdf'),
    await scannedPdf([
      await textPng({ lines: ['Cover sheet'] }),
      await textPng({ lines: ['Invoice 4711', 'Acme Widgets'] }),
    ]),
  );
  await fs.writeFile(
    sub('pdf/blank-middle.pdf'),
    await textPdf([['Opening remarks'], [], ['Umbrella sales forecast']]),
  );

  // Case 11: UTF-16 LE with BOM, and Latin-1, both holding an accented word.
  const accented = 'The crème brûlée recipe needs vanilla.\n';
  await fs.writeFile(
    sub('text/utf16.txt'),
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(accented, 'utf16le')]),
  );
  await fs.writeFile(
    sub('text/latin1.txt'),
    iconv.encode(`Notre crème brûlée est célèbre.\nNous la servons chaque soir.\n`, 'latin1'),
  );

  // Case 12: the same Markdown with CRLF and with LF.
  await fs.writeFile(sub('text/sections-lf.md'), SECTIONS_MARKDOWN);
  await fs.writeFile(sub('text/sections-crlf.md'), SECTIONS_MARKDOWN.replace(/\n/g, '\r\n'));

  // Case 13: one 10 MB line with no spaces.
  await fs.writeFile(sub('text/one-line.txt'), 'abcdefghij'.repeat(1_000_000));

  // Case 14: one sentence of 1500 words, far over the 256-token window.
  await fs.writeFile(sub('text/long-passage.txt'), longSentence(1500, 'zanzibar'));

  // Case 15: white space only, and Markdown holding only an image link.
  await fs.writeFile(sub('text/blank.txt'), ' \n\t\n   \r\n\n');
  await fs.writeFile(sub('text/only-image.md'), '![a diagram](diagram.png)\n');

  // Case 16: zero-byte files of four types.
  for (const name of ['zero.txt', 'zero.pdf', 'zero.jpg', 'zero.wav']) {
    await fs.writeFile(sub(`empty/${name}`), '');
  }

  // Case 17: names with spaces, brackets, accents, and a byte that is not UTF-8.
  await fs.writeFile(sub('names/with space [draft] (1).txt'), 'Orchid greenhouse humidity.\n');
  await fs.writeFile(sub('names/résumé café.md'), '# Résumé\n\nSailing instructor in Brest.\n');
  await fs.writeFile(
    Buffer.concat([Buffer.from(sub('names/latin')), Buffer.from([0xe9]), Buffer.from('.txt')]),
    'Tapestry weaving workshop.\n',
  );

  // Case 18: a folder link to its parent, a link to itself; one real file in between.
  await fs.writeFile(sub('links/real.txt'), 'Lighthouse keeper logbook.\n');
  await fs.symlink('..', sub('links/up'));
  await fs.symlink('self', sub('links/self'));

  // Case 19: the same bytes under two names.
  const twin = 'Glacier hiking permit for the north ridge.\n';
  await fs.writeFile(sub('text/twin-a.txt'), twin);
  await fs.writeFile(sub('text/twin-b.txt'), twin);

  // Case 21: random bytes under names that promise a type.
  for (const [name, seed] of [
    ['noise.pdf', 1],
    ['noise.png', 2],
    ['noise.mp3', 3],
    ['noise.html', 4],
  ] as const) {
    await fs.writeFile(sub(`junk/${name}`), noiseBytes(64 * 1024, seed));
  }

  return dir;
}

/** The same grey picture stored with three equal colour channels. */
async function rgbCopy(gray: Buffer): Promise<Buffer> {
  const { data, info } = await sharp(gray).raw().toBuffer({ resolveWithObject: true });
  const rgb = Buffer.alloc(info.width * info.height * 3);
  for (let i = 0; i < info.width * info.height; i++) {
    const value = data[i * info.channels]!;
    rgb[i * 3] = value;
    rgb[i * 3 + 1] = value;
    rgb[i * 3 + 2] = value;
  }
  return sharp(rgb, { raw: { width: info.width, height: info.height, channels: 3 } })
    .png()
    .toBuffer();
}
