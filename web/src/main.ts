import './styles.css';
import { AuthSession } from './auth/session.js';
import { parseConfig } from './config.js';
import { appShell } from './ui/app-shell.js';
import { h, replaceChildren } from './ui/dom.js';
import { signInView } from './ui/sign-in-view.js';

const APP_NAME = 'Bedrock Image Studio';

function configProblem(root: HTMLElement, problems: string[]): void {
  document.title = `Setup needed · ${APP_NAME}`;
  replaceChildren(
    root,
    h(
      'main',
      { class: 'auth-page', id: 'main' },
      h(
        'div',
        { class: 'auth-card panel', role: 'alert', 'data-testid': 'config-error' },
        h('h1', null, 'This app is not configured yet'),
        h('p', null, 'The page needs /config.js to set window.APP_CONFIG before the app starts:'),
        h(
          'ul',
          { class: 'problems' },
          problems.map((problem) => h('li', null, problem)),
        ),
        h(
          'pre',
          { class: 'code' },
          `window.APP_CONFIG = {\n  userPoolId: 'us-east-1_XXXXXXXXX',\n  userPoolClientId: '…',\n  region: 'us-east-1',\n  invokeUrl: 'https://…execute-api.us-east-1.amazonaws.com/prod',\n};`,
        ),
        h(
          'p',
          { class: 'hint' },
          'On AWS, Terraform outputs these values; locally, npm run dev serves config.js for you.',
        ),
      ),
    ),
  );
}

function start(): void {
  const root = document.getElementById('app');
  if (!root) return;
  const parsed = parseConfig(window.APP_CONFIG);
  if (!parsed.ok) {
    configProblem(root, parsed.problems);
    return;
  }
  const auth = new AuthSession(parsed.config);
  let disposeShell: (() => void) | null = null;
  const render = () => {
    disposeShell?.();
    disposeShell = null;
    if (auth.isSignedIn) {
      const shell = appShell(parsed.config, auth, APP_NAME);
      disposeShell = shell.dispose;
      replaceChildren(root, shell.element);
    } else {
      document.title = `Sign in · ${APP_NAME}`;
      replaceChildren(root, signInView(auth, APP_NAME));
    }
  };
  auth.onChange(render);
  render();
  // Refresh on load if the stored token is near expiry, so the first API call is not the one to wait.
  if (auth.isSignedIn) void auth.getIdToken();
}

try {
  start();
} catch (error) {
  const root = document.getElementById('app');
  if (root) {
    replaceChildren(
      root,
      h(
        'div',
        { class: 'auth-card panel', role: 'alert' },
        h('h1', null, 'The app failed to start'),
        h('p', null, error instanceof Error ? error.message : String(error)),
      ),
    );
  }
}
