import { ApiClient } from '../api/client.js';
import type { AuthSession } from '../auth/session.js';
import type { AppConfig } from '../config.js';
import type { AppContext, Route } from './app-context.js';
import { catalogFromListing, useCatalog } from '../models.js';
import { clearDrafts } from '../persist.js';
import { h } from './dom.js';
import { EditView } from './edit-view.js';
import { GenerateView } from './generate-view.js';
import { HistoryView } from './history-view.js';

const ROUTES: { route: Route; label: string }[] = [
  { route: 'generate', label: 'Generate' },
  { route: 'edit', label: 'Edit' },
  { route: 'history', label: 'History' },
];

function routeFromHash(): Route {
  const name = window.location.hash.replace(/^#\/?/, '');
  return ROUTES.some((entry) => entry.route === name) ? (name as Route) : 'generate';
}

/** The signed-in app: header with navigation and sign-out, and one view per route (#/generate…). */
export function appShell(
  config: AppConfig,
  auth: AuthSession,
  appName: string,
): { element: HTMLElement; dispose: () => void } {
  const api = new ApiClient({
    invokeUrl: config.invokeUrl,
    getIdToken: () => auth.getIdToken(),
    onUnauthorized: () => auth.clear(),
  });

  const views: Partial<Record<Route, { element: HTMLElement; focus: () => void }>> = {};
  const context: AppContext = {
    api,
    navigate: (route) => {
      window.location.hash = `#/${route}`;
    },
    openInEditor: ({ url, name, settings }) => {
      context.navigate('edit');
      void edit.openFromUrl(url, name, settings);
    },
    openInGenerator: (request, run) => {
      context.navigate('generate');
      generate.fill(request, run);
    },
    markHistoryStale: () => history.markStale(),
  };
  const generate = new GenerateView(context);
  const edit = new EditView(context);
  const history = new HistoryView(context);
  // The pickers start from the built-in list and switch to what this deployment's API accepts.
  void api
    .models()
    .then((listing) => {
      const choices = catalogFromListing(listing);
      if (!choices) return;
      useCatalog(choices);
      generate.refreshModels();
      edit.refreshModels();
    })
    .catch(() => undefined);
  views.generate = generate;
  views.edit = edit;
  views.history = history;

  const links = ROUTES.map(({ route, label }) =>
    h('a', { href: `#/${route}`, class: 'nav-link', 'data-testid': `nav-${route}` }, label),
  );
  const signOut = h(
    'button',
    { type: 'button', class: 'button-ghost', 'data-testid': 'sign-out' },
    'Sign out',
  );
  signOut.addEventListener('click', () => {
    signOut.disabled = true;
    // Drafts hold prompts: the next person on this browser must not see them.
    clearDrafts();
    void auth.signOut();
  });
  const main = h('main', { id: 'main', class: 'content', tabindex: -1 });
  for (const view of Object.values(views)) main.append(view.element);

  const element = h(
    'div',
    { class: 'app' },
    h(
      'a',
      {
        href: '#main',
        class: 'skip-link',
        onclick: (event: Event) => {
          event.preventDefault();
          main.focus();
        },
      },
      'Skip to content',
    ),
    h(
      'header',
      { class: 'topbar' },
      h('div', { class: 'brand' }, h('span', { class: 'logo', 'aria-hidden': 'true' }), appName),
      h('nav', { 'aria-label': 'Main' }, links),
      h(
        'div',
        { class: 'user' },
        h(
          'span',
          { class: 'user-email', 'data-testid': 'user-email', title: auth.email ?? '' },
          auth.email ?? '',
        ),
        signOut,
      ),
    ),
    main,
  );

  let current: Route | null = null;
  const show = () => {
    const route = routeFromHash();
    for (const [name, view] of Object.entries(views)) view.element.hidden = name !== route;
    for (const link of links) {
      if (link.getAttribute('href') === `#/${route}`) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    document.title = `${ROUTES.find((entry) => entry.route === route)?.label ?? ''} · ${appName}`;
    if (route === 'history') history.show();
    if (current !== null && current !== route) views[route]?.focus();
    current = route;
  };
  window.addEventListener('hashchange', show);
  show();
  return { element, dispose: () => window.removeEventListener('hashchange', show) };
}
