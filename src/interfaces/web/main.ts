/**
 * The web UI's entry: a header with the two pages (Search at /, Sources at /sources), history
 * routing so the back button and reloads keep the page (the server answers every page path with
 * this index.html), and the server's health in the footer.
 */
import { apiJson, describeError } from './api-client.js';
import type { HealthReply } from './api-types.js';
import { errorBanner, h, replaceChildren } from './dom.js';
import { searchView } from './search-view.js';
import { sourcesView } from './sources-view.js';

const app = document.getElementById('app')!;
const search = searchView();
const sources = sourcesView();
const main = h('main', { id: 'main', tabindex: -1 });
const health = h('p', { class: 'health' });

const links = {
  search: h('a', { href: '/', class: 'nav-link', onclick: navigate }, 'Search'),
  sources: h('a', { href: '/sources', class: 'nav-link', onclick: navigate }, 'Sources'),
};

replaceChildren(
  app,
  h('a', { href: '#main', class: 'skip-link', onclick: skipToMain }, 'Skip to content'),
  h(
    'header',
    { class: 'top' },
    h('a', { href: '/', class: 'brand', onclick: navigate }, 'mmrag'),
    h('nav', { 'aria-label': 'Pages' }, links.search, links.sources),
  ),
  main,
  h('footer', { class: 'bottom' }, health),
);

function skipToMain(event: Event): void {
  event.preventDefault();
  main.focus();
}

/** Same-tab clicks change the page without a reload; other clicks (new tab) are the browser's. */
function navigate(event: Event): void {
  const click = event as MouseEvent;
  if (click.button !== 0 || click.metaKey || click.ctrlKey || click.shiftKey || click.altKey)
    return;
  event.preventDefault();
  const href = (event.currentTarget as HTMLAnchorElement).getAttribute('href') ?? '/';
  if (href !== window.location.pathname) window.history.pushState({}, '', href);
  route();
}

function route(): void {
  const page = window.location.pathname.replace(/\/+$/, '').endsWith('/sources')
    ? 'sources'
    : 'search';
  for (const [name, link] of Object.entries(links)) {
    if (name === page) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (page === 'sources') {
    document.title = 'Sources · mmrag';
    replaceChildren(main, sources.element);
    void sources.refresh();
  } else {
    document.title = 'mmrag';
    replaceChildren(main, search);
    search.querySelector<HTMLInputElement>('#query')?.focus();
  }
}

async function showHealth(): Promise<void> {
  try {
    const reply = await apiJson<HealthReply>('/v1/health');
    const parts = [
      reply.index && `index ${reply.index}`,
      reply.models && `models: ${reply.models}`,
    ];
    health.textContent = ['mmrag', reply.version, ...parts].filter(Boolean).join(' · ');
  } catch (error) {
    const { message, code } = describeError(error);
    app.insertBefore(errorBanner(message, code), main);
  }
}

window.addEventListener('popstate', route);
route();
void showHealth();
