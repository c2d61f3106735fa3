import { authErrorMessage } from '../auth/session.js';
import type { AuthSession, NewPasswordChallenge } from '../auth/session.js';
import { field, h, messageBox, replaceChildren } from './dom.js';

/**
 * Sign-in, then (first login only) the new-password form Cognito requires before it issues tokens.
 * Self sign-up is off by design (seed: "Disable self-sign-up"); an administrator creates users.
 */
export function signInView(auth: AuthSession, appName: string): HTMLElement {
  const card = h('div', { class: 'auth-card panel' });
  const container = h('main', { class: 'auth-page', id: 'main' }, card);

  const showSignIn = (notice?: string) => {
    const email = h('input', {
      type: 'email',
      name: 'email',
      autocomplete: 'username',
      required: true,
      'data-testid': 'signin-email',
    });
    const password = h('input', {
      type: 'password',
      name: 'password',
      autocomplete: 'current-password',
      required: true,
      'data-testid': 'signin-password',
    });
    const submit = h(
      'button',
      { type: 'submit', class: 'button-primary wide', 'data-testid': 'signin-submit' },
      'Sign in',
    );
    const message = messageBox();
    const form = h(
      'form',
      { class: 'form', 'data-testid': 'signin-form', 'aria-labelledby': 'signin-title' },
      h('h1', { id: 'signin-title' }, `Sign in to ${appName}`),
      h('p', { class: 'hint' }, 'Use the email and password your administrator gave you.'),
      field('Email', email),
      field('Password', password),
      message.element,
      submit,
    );
    if (notice) message.show(notice, 'info');
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (!email.value.trim() || !password.value) {
        message.show('Enter your email and password.');
        return;
      }
      void (async () => {
        submit.disabled = true;
        submit.textContent = 'Signing in…';
        message.clear();
        try {
          const outcome = await auth.signIn(email.value.trim(), password.value);
          if (outcome.kind === 'new-password-required') showNewPassword(outcome.challenge);
        } catch (error) {
          message.show(authErrorMessage(error));
          password.select();
        } finally {
          submit.disabled = false;
          submit.textContent = 'Sign in';
        }
      })();
    });
    replaceChildren(card, form);
    email.focus();
  };

  const showNewPassword = (challenge: NewPasswordChallenge) => {
    const password = h('input', {
      type: 'password',
      name: 'new-password',
      autocomplete: 'new-password',
      required: true,
      minlength: 8,
      'data-testid': 'new-password',
    });
    const confirm = h('input', {
      type: 'password',
      name: 'confirm-password',
      autocomplete: 'new-password',
      required: true,
      'data-testid': 'new-password-confirm',
    });
    const submit = h(
      'button',
      { type: 'submit', class: 'button-primary wide', 'data-testid': 'new-password-submit' },
      'Set password and sign in',
    );
    const message = messageBox();
    const form = h(
      'form',
      {
        class: 'form',
        'data-testid': 'new-password-form',
        'aria-labelledby': 'new-password-title',
      },
      h('h1', { id: 'new-password-title' }, 'Choose a new password'),
      h(
        'p',
        { class: 'hint' },
        `First sign-in for ${challenge.email}: replace the temporary password.`,
      ),
      // Lets password managers save the new password under the right account.
      h('input', {
        type: 'text',
        name: 'username',
        autocomplete: 'username',
        value: challenge.email,
        hidden: true,
        readonly: true,
      }),
      field(
        'New password',
        password,
        'At least 8 characters with upper and lower case letters, a number and a symbol (the pool’s policy may differ).',
      ),
      field('Repeat new password', confirm),
      message.element,
      submit,
      h(
        'button',
        { type: 'button', class: 'link-button', onclick: () => showSignIn() },
        'Back to sign in',
      ),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (password.value.length < 8) {
        message.show('The password must be at least 8 characters.');
        return;
      }
      if (password.value !== confirm.value) {
        message.show('The two passwords differ.');
        confirm.select();
        return;
      }
      void (async () => {
        submit.disabled = true;
        message.clear();
        try {
          await auth.completeNewPassword(challenge, password.value);
        } catch (error) {
          const text = authErrorMessage(error);
          // An expired challenge session cannot be resumed: start over.
          if (/session/i.test(text) && /expired|invalid/i.test(text)) {
            showSignIn('That took too long; sign in again with the temporary password.');
            return;
          }
          message.show(text);
        } finally {
          submit.disabled = false;
        }
      })();
    });
    replaceChildren(card, form);
    password.focus();
  };

  showSignIn();
  return container;
}
