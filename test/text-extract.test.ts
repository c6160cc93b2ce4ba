import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_EXTRACT_LIMITS, type SniffedType } from '../src/extract/extractor.js';
import { decodeHtml, htmlExtractor, htmlText } from '../src/extract/html/index.js';
import { decodeText, markdownExtractor, plainTextExtractor } from '../src/extract/text/index.js';
import type { ExtractedSegment } from '../src/types.js';

const context = { wantImages: false, limits: DEFAULT_EXTRACT_LIMITS };
const utf8 = (text: string) => new TextEncoder().encode(text);

async function extract(
  extractor: typeof markdownExtractor,
  bytes: Uint8Array,
  mime: string,
): Promise<ExtractedSegment[]> {
  const type: SniffedType = { modality: 'text', mime };
  const extraction = await extractor.extract({ path: '/docs/x', bytes, type }, context);
  assert.equal(extraction.modality, 'text');
  return extraction.segments;
}

/** Every segment's text is exactly the slice of `full` its offsets name. */
function assertOffsets(full: string, segments: ExtractedSegment[]) {
  for (const segment of segments) {
    const { charStart, charEnd } = segment.locator;
    assert.equal(full.slice(charStart, charEnd), segment.text);
  }
}

describe('decodeText', () => {
  const phrase = 'café résumé naïve';

  test('UTF-16 LE and BE with a BOM', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(phrase, 'utf16le')]);
    const be = Buffer.from(le).swap16();
    assert.deepEqual(decodeText(le), { text: phrase, encoding: 'utf16le' });
    assert.deepEqual(decodeText(be), { text: phrase, encoding: 'utf16be' });
  });

  test('UTF-8 with and without a BOM', () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(phrase)]);
    assert.deepEqual(decodeText(bom), { text: phrase, encoding: 'utf8' });
    assert.deepEqual(decodeText(Buffer.from(phrase)), { text: phrase, encoding: 'utf8' });
  });

  test('Latin-1 bytes decode to the right accents', () => {
    assert.equal(decodeText(Buffer.from(phrase, 'latin1')).text, phrase);
    const longer = 'Le café était très bon, à Noël nous étions à Paris.';
    assert.equal(decodeText(Buffer.from(longer, 'latin1')).text, longer);
  });

  test('CRLF and lone CR become LF; NUL characters go', () => {
    assert.equal(decodeText(utf8('a\r\nb\rc\0d\n')).text, 'a\nb\ncd\n');
  });
});

describe('markdownExtractor', () => {
  const markdown = [
    '---',
    'title: Field notes',
    '---',
    'Intro before any heading.',
    '',
    '# Birds',
    '',
    'Robins sing at dawn. See [the guide](http://example.com/guide).',
    '',
    '![a robin](robin.jpg)',
    '',
    '## Nesting',
    '',
    '- twigs',
    '- moss',
    '',
    '| month | eggs |',
    '|---|---|',
    '| April | 4 |',
    '',
    '```js',
    'const nest = true;',
    '```',
    '',
    '# Trees `oak`',
    '',
    'Oaks live long.',
    '',
  ].join('\n');

  test('sections carry their heading path and exact offsets', async () => {
    const segments = await extract(markdownExtractor, utf8(markdown), 'text/markdown');
    assertOffsets(markdown, segments);
    assert.deepEqual(
      segments.map((s) => s.locator.headingPath),
      [[], ['Birds'], ['Birds', 'Nesting'], ['Trees oak']],
    );

    const [intro, birds, nesting, trees] = segments.map((s) => s.text ?? '');
    assert.match(intro!, /title: Field notes[\s\S]*Intro before any heading\./);
    assert.equal(
      birds,
      '# Birds\n\nRobins sing at dawn. See [the guide](http://example.com/guide).',
    );
    assert.match(nesting!, /- twigs\n- moss/);
    assert.match(nesting!, /\| April \| 4 \|/);
    assert.match(nesting!, /const nest = true;/);
    assert.equal(trees, '# Trees `oak`\n\nOaks live long.');
    assert.ok(!segments.some((s) => s.text?.includes('robin.jpg')));
  });

  test('CRLF and LF give identical segments', async () => {
    const lf = await extract(markdownExtractor, utf8(markdown), 'text/markdown');
    const crlf = await extract(
      markdownExtractor,
      utf8(markdown.replace(/\n/g, '\r\n')),
      'text/markdown',
    );
    assert.deepEqual(crlf, lf);
  });

  test('a file with only an image, or only white space, has no segments', async () => {
    const image = '![diagram](diagram.png)\n\n[![badge](b.svg)](http://ci)\n';
    assert.deepEqual(await extract(markdownExtractor, utf8(image), 'text/markdown'), []);
    assert.deepEqual(await extract(markdownExtractor, utf8(' \n\n\t\n'), 'text/markdown'), []);
  });
});

describe('plainTextExtractor', () => {
  test('paragraphs with offsets; white space alone gives nothing', async () => {
    const text = '\n\nFirst paragraph,\nsecond line.\n\n\n  Second paragraph.  \n';
    const segments = await extract(plainTextExtractor, utf8(text), 'text/plain');
    assertOffsets(text, segments);
    assert.equal(segments.length, 1);
    assert.equal(segments[0]!.text, 'First paragraph,\nsecond line.\n\n\n  Second paragraph.');

    assert.deepEqual(await extract(plainTextExtractor, utf8('   \n \n'), 'text/plain'), []);
  });

  test('long texts are grouped into several sections at blank lines', async () => {
    const paragraphs = Array.from(
      { length: 40 },
      (_, i) => `Paragraph ${i} ${'word '.repeat(20).trim()}`,
    );
    const text = paragraphs.join('\n\n');
    const segments = await extract(plainTextExtractor, utf8(text), 'text/plain');
    assert.ok(segments.length > 1);
    assertOffsets(text, segments);
    assert.equal(segments.map((s) => s.text).join('\n\n'), text.trim());
  });
});

describe('htmlExtractor', () => {
  const page = `<!doctype html>
<html><head><title>Garden log</title><style>p { color: red }</style>
<script>var secret = "do not index";</script></head>
<body>
<nav><a href="/">Home</a> <a href="/about">About</a></nav>
<p>Spring   starts
here.</p>
<h2>Roses</h2>
<p>Prune in <b>March</b>.<br>Feed in May.</p>
<img src="rose.jpg" alt="A red rose">
<h3>Pests</h3>
<ul><li>aphids</li><li>mildew</li></ul>
<table><tr><th>Pest</th><th>Fix</th></tr><tr><td>aphids</td><td>soap</td></tr></table>
<noscript>enable scripts</noscript>
<template><p>hidden template</p></template>
<h2>Tulips</h2><pre>plant   deep
  in autumn</pre>
</body></html>`;

  test('headings build the path, the title heads a page without h1, scripts are ignored', async () => {
    const segments = await extract(htmlExtractor, utf8(page), 'text/html');
    const full = htmlText(page);
    assertOffsets(full, segments);

    assert.deepEqual(
      segments.map((s) => s.locator.headingPath),
      [
        ['Garden log'],
        ['Garden log', 'Roses'],
        ['Garden log', 'Roses', 'Pests'],
        ['Garden log', 'Tulips'],
      ],
    );
    assert.equal(segments[0]!.text, 'Garden log\n\nSpring starts here.');
    assert.equal(segments[1]!.text, 'Roses\n\nPrune in March.\nFeed in May.\n\nA red rose');
    assert.equal(segments[2]!.text, 'Pests\n\naphids\n\nmildew\n\nPest | Fix\n\naphids | soap');
    assert.equal(segments[3]!.text, 'Tulips\n\nplant   deep\n  in autumn');
    for (const hidden of ['secret', 'color', 'Home', 'enable scripts', 'hidden template']) {
      assert.ok(!full.includes(hidden), hidden);
    }
  });

  test('an h1 replaces the title as the top heading', async () => {
    const html = '<html><head><title>Site</title></head><body><h1>Article</h1><p>Body.</p></body>';
    const segments = await extract(htmlExtractor, utf8(html), 'text/html');
    assert.deepEqual(segments, [
      {
        kind: 'body',
        text: 'Article\n\nBody.',
        locator: { charStart: 0, charEnd: 14, headingPath: ['Article'] },
      },
    ]);
  });

  test('a <meta> charset decodes Latin-1 bytes', async () => {
    const html =
      '<html><head><meta charset="iso-8859-1"></head><body><p>café crème</p></body></html>';
    const bytes = Buffer.from(html, 'latin1');
    assert.ok(decodeHtml(bytes).includes('café crème'));
    const segments = await extract(htmlExtractor, bytes, 'text/html');
    assert.equal(segments[0]!.text, 'café crème');

    const httpEquiv =
      '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">' +
      '</head><body><p>“quoted” naïve</p></body></html>';
    const cp1252 = await extract(htmlExtractor, Buffer.from(encode1252(httpEquiv)), 'text/html');
    assert.equal(cp1252[0]!.text, '“quoted” naïve');
  });
});

/** windows-1252 bytes for the few characters the test uses beyond Latin-1. */
function encode1252(text: string): Uint8Array {
  const extra: Record<string, number> = { '“': 0x93, '”': 0x94 };
  return Uint8Array.from([...text].map((c) => extra[c] ?? c.charCodeAt(0)));
}
