/**
 * Writes a `tokenizer.json` for a whole-word WordPiece vocabulary, in the layout the Hugging Face
 * tokenizers (and Transformers.js) read: BERT normalisation (lower-casing), BERT pre-tokenisation
 * (split on whitespace and punctuation), and a template that wraps each text in a start and an end
 * token. With no `##` pieces in the vocabulary, any word outside it becomes the unknown token.
 */

export interface WordPieceSpecials {
  pad: string;
  unk: string;
  /** Put before every text. */
  start: string;
  /** Put after every text. */
  end: string;
}

export interface WordPieceTokenizerOptions {
  /** Special tokens; they get ids 0-3 in the order pad, unk, start, end (or fewer if shared). */
  specials: WordPieceSpecials;
  /** Ordinary tokens, in id order after the specials. Must be unique. */
  words: string[];
}

export interface WordPieceTokenizer {
  /** The `tokenizer.json` object. */
  json: Record<string, unknown>;
  /** Token to id, specials included. */
  vocab: Map<string, number>;
}

/** True for a word the BERT pre-tokeniser keeps whole, so a whole-word vocabulary can match it. */
export function isWholeBertWord(word: string): boolean {
  if (word !== word.toLowerCase()) return false;
  if (/^[\p{L}\p{M}\p{N}]+$/u.test(word)) return true;
  return [...word].length === 1 && /^[\p{P}\p{S}]$/u.test(word);
}

export function wordPieceTokenizer(options: WordPieceTokenizerOptions): WordPieceTokenizer {
  const { specials, words } = options;

  const vocab = new Map<string, number>();
  for (const token of [specials.pad, specials.unk, specials.start, specials.end, ...words]) {
    if (!vocab.has(token)) vocab.set(token, vocab.size);
  }

  const specialTokens = [...new Set(Object.values(specials))];
  const idOf = (token: string) => vocab.get(token) as number;

  const json = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specialTokens.map((content) => ({
      id: idOf(content),
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      // Kept accents let accented vocabulary words ("café") match as written.
      strip_accents: false,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: specials.start, type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: specials.end, type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: specials.start, type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: specials.end, type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: specials.end, type_id: 1 } },
      ],
      special_tokens: Object.fromEntries(
        [specials.start, specials.end].map((token) => [
          token,
          { id: token, ids: [idOf(token)], tokens: [token] },
        ]),
      ),
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: specials.unk,
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab),
    },
  };

  return { json, vocab };
}
