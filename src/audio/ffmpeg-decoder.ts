/**
 * MP3, FLAC, OGG, M4A and anything else ffmpeg reads, through the system `ffmpeg` binary:
 * bytes in on stdin, 16 kHz mono float32 out on stdout, stderr kept for the error message.
 * ffmpeg does the downmix and a low-pass resample itself.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { MmragError } from '../errors.js';
import { TARGET_SAMPLE_RATE } from './decoded-audio.js';

export interface FfmpegDecodeOptions {
  /** Named in errors: the file's path. */
  subject: string;
  /** Output past this many seconds is not decoded; the caller sees a longer result and refuses it. */
  maxSeconds: number;
  /** Kill ffmpeg after this long. */
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface FfmpegResult {
  samples: Float32Array;
  sourceSampleRate: number;
  channels: number;
}

const INSTALL_HINT = 'Install ffmpeg (apt-get install ffmpeg) or set MMRAG_FFMPEG to its path.';

// Looked up once per setting of MMRAG_FFMPEG and PATH.
const located = new Map<string, Promise<string | undefined>>();

/** The ffmpeg binary: `MMRAG_FFMPEG` when set, else the first `ffmpeg` on PATH. */
export function findFfmpeg(): Promise<string | undefined> {
  const override = process.env.MMRAG_FFMPEG;
  const key = `${override ?? ''}\0${process.env.PATH ?? ''}`;
  let found = located.get(key);
  if (!found) {
    found = locate(override);
    located.set(key, found);
  }
  return found;
}

async function locate(override: string | undefined): Promise<string | undefined> {
  const candidates = override
    ? [override]
    : (process.env.PATH ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg'));
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here; try the next.
    }
  }
  return undefined;
}

export async function decodeWithFfmpeg(
  bytes: Uint8Array,
  options: FfmpegDecodeOptions,
): Promise<FfmpegResult> {
  const { subject } = options;
  const binary = await findFfmpeg();
  if (!binary) {
    throw new MmragError(
      'FILE_UNSUPPORTED',
      `Decoding ${subject} needs ffmpeg, which is not installed.`,
      {
        subject,
        hint: INSTALL_HINT,
      },
    );
  }

  // MP4/M4A keeps its index (the moov box) wherever it likes, often at the end, and ffmpeg
  // cannot seek back on a pipe; such files go through a temporary file instead.
  if (isIsoMedia(bytes)) {
    const dir = await mkdtemp(join(tmpdir(), 'mmrag-audio-'));
    try {
      const file = join(dir, 'input.m4a');
      await writeFile(file, bytes);
      return await runFfmpeg(binary, file, undefined, options);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return runFfmpeg(binary, 'pipe:0', bytes, options);
}

function isIsoMedia(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && String.fromCharCode(...bytes.subarray(4, 8)) === 'ftyp';
}

function runFfmpeg(
  binary: string,
  input: string,
  stdin: Uint8Array | undefined,
  { subject, maxSeconds, timeoutMs, signal }: FfmpegDecodeOptions,
): Promise<FfmpegResult> {
  // One second past the limit is enough to tell "too long" from "exactly at the limit".
  const args = ['-nostdin', '-hide_banner', '-i', input, '-vn', '-sn', '-dn'];
  args.push('-t', String(maxSeconds + 1), '-f', 'f32le', '-ac', '1');
  args.push('-ar', String(TARGET_SAMPLE_RATE), 'pipe:1');

  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    const errors: Buffer[] = [];
    let settled = false;

    const finish = (error: MmragError | undefined, result?: FfmpegResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(result!);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(
        new MmragError(
          'FILE_CORRUPT',
          `Decoding ${subject} took longer than ${timeoutMs / 1000} s.`,
          {
            subject,
            hint: 'Check that the file plays; re-export it as WAV, MP3 or FLAC.',
          },
        ),
      );
    }, timeoutMs);
    const onAbort = () => {
      child.kill('SIGKILL');
      finish(new MmragError('ABORTED', `Stopped while decoding ${subject}.`, { subject }));
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => errors.push(chunk));
    child.on('error', (error) =>
      finish(
        new MmragError('FILE_UNSUPPORTED', `ffmpeg could not be started to decode ${subject}.`, {
          subject,
          hint: INSTALL_HINT,
          cause: error,
        }),
      ),
    );
    child.on('close', (code) => {
      const log = Buffer.concat(errors).toString('utf8');
      if (code !== 0) {
        finish(
          new MmragError('FILE_CORRUPT', `${subject} could not be decoded: ${lastLine(log)}.`, {
            subject,
            hint: 'Check that the file plays; re-export it as WAV, MP3 or FLAC.',
            cause: new Error(log.trim()),
          }),
        );
        return;
      }
      const output = Buffer.concat(chunks);
      // Copy into an aligned buffer: the concatenated Buffer may start at any byte offset.
      const samples = new Float32Array(Math.floor(output.length / 4));
      new Uint8Array(samples.buffer).set(output.subarray(0, samples.length * 4));
      finish(undefined, { samples, ...sourceFormat(log) });
    });

    // ffmpeg may stop reading early (bad data, -t reached); that is not an error here.
    child.stdin.on('error', () => {});
    if (stdin) child.stdin.end(stdin);
    else child.stdin.end();
  });
}

/** The input stream's rate and channels, from ffmpeg's "Stream #0:0: Audio: ..." line. */
function sourceFormat(log: string): { sourceSampleRate: number; channels: number } {
  const match = /Stream #\d+:\d+[^:]*: Audio: [^\n]*?(\d+) Hz, ([^,\n]+)/.exec(log);
  if (!match) return { sourceSampleRate: 0, channels: 0 };
  const layout = match[2]!.trim();
  const named: Record<string, number> = { mono: 1, stereo: 2, '2.1': 3, quad: 4, '5.0': 5 };
  const counted = /(\d+) channels/.exec(layout);
  const surround = /^(\d)\.(\d)/.exec(layout);
  const channels =
    named[layout] ??
    (counted ? Number(counted[1]) : surround ? Number(surround[1]) + Number(surround[2]) : 0);
  return { sourceSampleRate: Number(match[1]), channels };
}

function lastLine(log: string): string {
  const lines = log.trim().split('\n').filter(Boolean);
  return (lines.at(-1) ?? 'ffmpeg failed').replace(/^pipe:0: /, '').trim();
}
