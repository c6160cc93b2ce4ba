/** A video's sound track is indexed like a recording, with its times. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createEngine } from '../src/index.js';
import { fixtureEngineOptions } from './helpers/e2e-fixture-models.js';
import { silence, synthesizeSpeech, writeWav } from './helpers/speech-tones.js';

test('words spoken in an MP4 video are found at their time', async () => {
  const root = await mkdtemp(join(tmpdir(), 'mmrag-video-'));
  const library = join(root, 'library');
  await mkdir(library);
  const speech = Float32Array.from([
    ...silence(1),
    ...synthesizeSpeech(['budget', 'meeting']),
    ...silence(1),
  ]);
  await writeWav(join(root, 'speech.wav'), [speech], 16000, 16);
  // ffmpeg (installed by .ci/run) makes a short H.264 video with that sound track.
  execFileSync('ffmpeg', [
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    'color=c=red:s=64x64:d=3',
    '-i',
    join(root, 'speech.wav'),
    '-shortest',
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    join(library, 'clip.mp4'),
  ]);

  const engine = await createEngine(await fixtureEngineOptions(join(root, 'index')));
  try {
    const report = await engine.ingest([library]);
    assert.equal(report.counts.indexed, 1, JSON.stringify(report.files));
    const { results } = await engine.search('budget meeting', { modalities: ['audio'] });
    assert.equal(results[0]?.path, join(library, 'clip.mp4'));
    assert.ok(results[0]!.locator.start! >= 0.5 && results[0]!.locator.end! <= 2.6);
  } finally {
    await engine.close();
  }
});
