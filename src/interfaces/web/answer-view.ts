/**
 * An answer as it streams, then with its numbered citations: each [n] in the text and each
 * entry of the list below opens that citation's evidence.
 */
import { apiEvents, describeError, jsonBody } from './api-client.js';
import type { AskReply, Citation, Modality } from './api-types.js';
import { baseName, errorBanner, h, replaceChildren, spinner } from './dom.js';
import { openEvidence } from './evidence-panel.js';
import { describeLocator, MODALITY_LABELS } from './locator-text.js';

export interface AskRequest {
  q: string;
  k?: number;
  modalities?: Modality[];
  signal: AbortSignal;
}

/** Streams the answer into `target`; resolves when the stream ends. */
export async function streamAnswer(target: HTMLElement, request: AskRequest): Promise<void> {
  const text = h('p', { class: 'answer-text' });
  const status = h('p', { class: 'answer-status' }, spinner('Thinking'), ' Finding evidence…');
  const article = h(
    'article',
    { class: 'answer', 'aria-busy': 'true', 'aria-label': 'Answer' },
    h('h2', { class: 'section-title' }, 'Answer'),
    status,
    text,
  );
  replaceChildren(target, article);

  const { signal, ...body } = request;
  try {
    for await (const event of apiEvents('/v1/ask', jsonBody(body, { signal }))) {
      if (signal.aborted) return;
      if (event.event === 'token') {
        const { text: piece } = JSON.parse(event.data) as { text: string };
        if (status.isConnected) replaceChildren(status, spinner('Writing'), ' Writing…');
        text.append(piece);
      } else if (event.event === 'result') {
        status.remove();
        article.removeAttribute('aria-busy');
        renderResult(article, text, JSON.parse(event.data) as AskReply);
        return;
      } else if (event.event === 'error') {
        const { message, code } = JSON.parse(event.data) as { message: string; code?: string };
        throw Object.assign(new Error(message), { code });
      }
    }
    throw new Error('The answer stream ended before the answer was complete.');
  } catch (error) {
    if (signal.aborted) return;
    status.remove();
    article.removeAttribute('aria-busy');
    const { message, code } = describeError(error);
    article.append(errorBanner(message, code ?? (error as { code?: string }).code));
  }
}

function renderResult(article: HTMLElement, text: HTMLElement, reply: AskReply): void {
  const byNumber = new Map(reply.citations.map((citation) => [citation.n, citation]));
  replaceChildren(text, ...linkCitations(reply.answer, byNumber));

  if (reply.supported === false) {
    article.append(
      h(
        'p',
        { class: 'banner banner-warning', role: 'note' },
        'The indexed files do not clearly support this answer. Check the sources below.',
      ),
    );
  }
  if (reply.citations.length > 0) {
    article.append(
      h('h3', { class: 'section-title' }, 'Sources'),
      h(
        'ol',
        { class: 'citations' },
        reply.citations.map((citation) =>
          h(
            'li',
            { value: citation.n },
            citationButton(citation, `[${citation.n}] ${baseName(citation.path)}`),
            h(
              'span',
              { class: 'hit-where' },
              describeLocator(citation.locator, citation.modality) ||
                MODALITY_LABELS[citation.modality],
            ),
            citation.quote ? h('q', { class: 'citation-quote' }, citation.quote) : null,
          ),
        ),
      ),
    );
  }
  if (reply.model) article.append(h('p', { class: 'answer-model' }, `Answered by ${reply.model}`));
}

/** Splits the answer at [n] marks and turns each mark that has a citation into a button. */
function linkCitations(answer: string, byNumber: Map<number, Citation>): (Node | string)[] {
  const parts: (Node | string)[] = [];
  let last = 0;
  for (const match of answer.matchAll(/\[(\d+)\]/g)) {
    const citation = byNumber.get(Number(match[1]));
    if (!citation) continue;
    const start = match.index ?? 0;
    parts.push(answer.slice(last, start), citationButton(citation, `[${citation.n}]`, 'cite'));
    last = start + match[0].length;
  }
  parts.push(answer.slice(last));
  return parts;
}

function citationButton(citation: Citation, label: string, className = 'link'): HTMLElement {
  return h(
    'button',
    {
      type: 'button',
      class: className,
      'data-citation': citation.n,
      'aria-label': `Citation ${citation.n}: ${baseName(citation.path)}`,
      title: citation.path,
      onclick: () =>
        openEvidence({
          path: citation.path,
          modality: citation.modality,
          locator: citation.locator,
          text: citation.quote,
          segmentId: citation.segmentId,
        }),
    },
    label,
  );
}
