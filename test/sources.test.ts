import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { MmragError } from '../src/errors.js';
import { displayPath, fsPathFromDisplay } from '../src/sources/display-path.js';
import { hashBytes } from '../src/sources/hash.js';
import { sniffType } from '../src/sources/sniff.js';
import { type WalkedFile, type WalkOptions, walkSources } from '../src/sources/walk.js';
import { binarySamples, hasFfmpeg, noiseBytes, tempDir } from './helpers/docs-text-fixtures.js';

async function walk(paths: string[], options: WalkOptions = {}) {
  const files: WalkedFile[] = [];
  const skipped: { path: string; reason: string }[] = [];
  for await (const file of walkSources(paths, {
    ...options,
    onSkip: (p, reason) => skipped.push({ path: p, reason }),
  })) {
    files.push(file);
  }
  return { files, skipped };
}

async function write(file: string, text = 'hello') {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, text);
}

const relative = (root: string, files: WalkedFile[]) =>
  files.map((file) => path.relative(root, file.path));

describe('walkSources', () => {
  test('yields files in sorted order and skips hidden names unless asked', async () => {
    const root = await tempDir();
    await write(path.join(root, 'b.txt'));
    await write(path.join(root, 'a', 'z.md'));
    await write(path.join(root, 'a', 'y.md'));
    await write(path.join(root, '.secret.txt'));
    await write(path.join(root, '.hidden', 'inside.txt'));
    await write(path.join(root, '.mmrag', 'index.txt'));

    const plain = await walk([root]);
    assert.deepEqual(relative(root, plain.files), ['a/y.md', 'a/z.md', 'b.txt']);
    assert.ok(plain.skipped.some((s) => s.path.endsWith('.secret.txt') && s.reason === 'hidden'));

    const hidden = await walk([root], { includeHidden: true });
    assert.deepEqual(relative(root, hidden.files), [
      '.hidden/inside.txt',
      '.secret.txt',
      'a/y.md',
      'a/z.md',
      'b.txt',
    ]);

    const file = plain.files[2]!;
    assert.equal(file.size, 5);
    assert.equal(file.realPath, await fs.realpath(file.path));
    assert.ok(file.mtimeMs > 0);
  });

  test('honours .gitignore files, nested ones below their own folder', async () => {
    const root = await tempDir();
    await write(path.join(root, '.gitignore'), '*.log\nbuild/\n');
    await write(path.join(root, 'keep.txt'));
    await write(path.join(root, 'debug.log'));
    await write(path.join(root, 'build', 'out.txt'));
    await write(path.join(root, 'docs', '.gitignore'), 'draft-*\n!important.log\n');
    await write(path.join(root, 'docs', 'draft-1.md'));
    await write(path.join(root, 'docs', 'final.md'));
    await write(path.join(root, 'docs', 'important.log'));
    await write(path.join(root, 'docs', 'other.log'));
    await write(path.join(root, 'notes', 'draft-2.md'));

    const { files, skipped } = await walk([root]);
    assert.deepEqual(relative(root, files), [
      'docs/final.md',
      'docs/important.log',
      'keep.txt',
      'notes/draft-2.md',
    ]);
    const reason = skipped.find((s) => s.path.endsWith('debug.log'))?.reason;
    assert.match(reason ?? '', /ignored by .*\.gitignore/);

    const all = await walk([root], { respectGitignore: false });
    assert.equal(all.files.length, 8);
  });

  test('a link back to a parent folder does not loop; self and dangling links are reported', async () => {
    const root = await tempDir();
    await write(path.join(root, 'docs', 'a.txt'));
    await fs.symlink('..', path.join(root, 'docs', 'up'));
    await fs.symlink(path.join(root, 'self'), path.join(root, 'self'));
    await fs.symlink(path.join(root, 'missing.txt'), path.join(root, 'dangling'));

    const { files, skipped } = await walk([root]);
    assert.deepEqual(relative(root, files), ['docs/a.txt']);
    const reasons = Object.fromEntries(skipped.map((s) => [path.relative(root, s.path), s.reason]));
    assert.equal(reasons.self, 'symbolic link loop');
    assert.equal(reasons.dangling, 'dangling symbolic link');
    assert.match(reasons['docs/up'] ?? '', /already walked/);

    const unfollowed = await walk([root], { followSymlinks: false });
    assert.deepEqual(relative(root, unfollowed.files), ['docs/a.txt']);
  });

  test('one real file under two names is yielded once, under the first name', async () => {
    const root = await tempDir();
    await write(path.join(root, 'a.txt'));
    await fs.symlink(path.join(root, 'a.txt'), path.join(root, 'b-link.txt'));
    await fs.link(path.join(root, 'a.txt'), path.join(root, 'c-hard.txt'));

    const { files, skipped } = await walk([root, path.join(root, 'a.txt')]);
    assert.deepEqual(relative(root, files), ['a.txt']);
    const same = skipped.filter((s) => s.reason === `same file as ${path.join(root, 'a.txt')}`);
    assert.equal(same.length, 3);
  });

  test('odd names work, a name that is not UTF-8 included', async () => {
    const root = await tempDir();
    const names = ['with space.txt', '[brackets] (1).txt', 'café résumé.txt', '日本語.md'];
    for (const name of names) await write(path.join(root, name), name);

    // Latin-1 "é" (0xE9) is not valid UTF-8: Node would hand it back as U+FFFD.
    const latin1Name = Buffer.concat([
      Buffer.from(`${root}/caf`),
      Buffer.from([0xe9]),
      Buffer.from('.txt'),
    ]);
    await fs.writeFile(latin1Name, 'latin-1 name');

    const { files } = await walk([root]);
    assert.equal(files.length, 5);
    const odd = files.find((file) => file.path.includes('\\xE9'))!;
    assert.equal(path.basename(odd.path), 'caf\\xE9.txt');
    assert.equal(await fs.readFile(odd.fsPath, 'utf8'), 'latin-1 name');
    assert.deepEqual(fsPathFromDisplay(odd.realPath), odd.fsPath);
    for (const file of files.filter((f) => f !== odd)) {
      assert.equal(await fs.readFile(file.path, 'utf8'), path.basename(file.path));
    }
  });

  test('a path that does not exist fails before anything is walked, naming it', async () => {
    const root = await tempDir();
    await write(path.join(root, 'a.txt'));
    const missing = path.join(root, 'nope');
    await assert.rejects(walk([root, missing]), (error: unknown) => {
      assert.ok(MmragError.isInstance(error));
      assert.equal(error.code, 'USAGE');
      assert.equal(error.subject, missing);
      assert.match(error.message, /nope/);
      return true;
    });
  });
});

describe('displayPath', () => {
  test('keeps UTF-8 and escapes only the bytes that are not', () => {
    assert.equal(displayPath(Buffer.from('/tmp/café')), '/tmp/café');
    const bytes = Buffer.from([0x61, 0xe9, 0x62, 0xc3, 0xa9, 0xff]);
    assert.equal(displayPath(bytes), 'a\\xE9bé\\xFF');
    assert.deepEqual(fsPathFromDisplay(displayPath(bytes)), bytes);
  });
});

describe('sniffType', () => {
  const samples = binarySamples();

  test('binary types come from the bytes, even under a wrong name', async () => {
    const found = await samples;
    if (!hasFfmpeg) assert.fail('ffmpeg is needed to make the MP3/FLAC/OGG/M4A samples');
    for (const [name, sample] of Object.entries(found)) {
      const type = await sniffType(sample.bytes, `/docs/${name}-saved-as.txt`);
      assert.deepEqual(type, { modality: sample.modality, mime: sample.mime }, name);
    }
  });

  test('random bytes are nothing, whatever their name says', async () => {
    for (const name of ['x.pdf', 'x.png', 'x.mp3', 'x.html', 'x.md', 'x.txt']) {
      assert.equal(await sniffType(noiseBytes(4096), name), undefined, name);
    }
  });

  test('HTML, Markdown and plain text are told apart by content first', async () => {
    const bytes = (text: string) => new TextEncoder().encode(text);
    const html = '\uFEFF  <!-- generated -->\n<!DOCTYPE html><html><body><p>Hi</p></body></html>';
    assert.equal((await sniffType(bytes(html), 'page.txt'))?.mime, 'text/html');
    assert.equal((await sniffType(bytes('<html lang="en">x</html>'), 'a.md'))?.mime, 'text/html');
    assert.equal((await sniffType(bytes('just words'), 'notes.md'))?.mime, 'text/markdown');

    const markdown = '# Title\n\nSome text with a [link](http://example.com).\n\n- one\n- two\n';
    assert.equal((await sniffType(bytes(markdown), 'notes.txt'))?.mime, 'text/markdown');
    assert.equal((await sniffType(bytes('Dear Ann,\n\nSee you.\n'), 'letter'))?.mime, 'text/plain');
    assert.equal((await sniffType(bytes('<p>fragment</p>'), 'part.html'))?.mime, 'text/html');
    assert.equal((await sniffType(new Uint8Array(0), 'empty.txt'))?.mime, 'text/plain');

    // UTF-16 with a BOM is text although half its bytes are NUL; Latin-1 bytes are text too.
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('plain words', 'utf16le')]);
    assert.equal((await sniffType(utf16, 'u16.txt'))?.mime, 'text/plain');
    assert.equal((await sniffType(Buffer.from('café', 'latin1'), 'l1.txt'))?.mime, 'text/plain');
  });
});

test('hashBytes is the SHA-256 hex of the bytes', () => {
  assert.equal(
    hashBytes(new TextEncoder().encode('abc')),
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  );
});
