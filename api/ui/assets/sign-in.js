import { api, describeError, session } from './api.js';
import { $ } from './dom.js';

/** Only paths inside the dashboard are followed after sign-in (no open redirect). */
function nextPath() {
  const next = new URLSearchParams(location.search).get('next') ?? '';
  return /^\/ui(\/[A-Za-z0-9/_-]*)?$/.test(next) && !next.startsWith('/ui/sign-in') ? next : '/ui';
}

export function initSignIn() {
  const form = $('#sign-in-form');
  const input = $('#api-key');
  const error = $('#sign-in-error');
  input.focus();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const key = input.value.trim();
    error.textContent = '';
    if (!key) {
      error.textContent = 'Enter an API key.';
      input.setAttribute('aria-invalid', 'true');
      return;
    }
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const me = await api('/v1/me', { token: key });
      session.set(key);
      input.value = '';
      error.textContent = `Signed in as ${me.role}.`;
      location.assign(nextPath());
    } catch (err) {
      input.setAttribute('aria-invalid', 'true');
      error.textContent = err.status === 401 ? 'That API key was not accepted.' : describeError(err);
      button.disabled = false;
    }
  });
}
