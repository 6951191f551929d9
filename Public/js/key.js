// The API key form: shown when the service answers 401 (at load, a probe asks whether it needs a
// key), and from the header's key button. The key is kept in this browser's localStorage.

import { apiKey, get, setApiKey } from './api.js';
import { t } from './i18n.js';

export function setupKey() {
  const form = document.getElementById('key-form');
  const input = document.getElementById('api-key');
  const status = document.getElementById('key-status');
  const toggle = document.getElementById('key-toggle');

  function show(message) {
    form.hidden = false;
    toggle.hidden = false;
    status.textContent = message;
    input.focus();
  }

  window.addEventListener('nabla:unauthorized', (event) => {
    show(t(event.detail.keyGiven ? 'key.refused' : 'key.needed'));
  });
  toggle.addEventListener('click', () => {
    if (form.hidden) show(apiKey() ? t('key.kept') : t('key.needed'));
    else form.hidden = true;
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    setApiKey(input.value.trim());
    input.value = '';
    try {
      await get('/v1/jobs?limit=1');
      status.textContent = t('key.accepted');
      form.hidden = true;
    } catch {
      // A 401 shows the form again with its reason.
    }
  });
  document.getElementById('key-forget').addEventListener('click', () => {
    setApiKey('');
    status.textContent = t('key.forgotten');
  });
  toggle.hidden = apiKey() === '';
  // Whether this service needs a key (and whether the kept one still works): a 401 shows the form.
  get('/v1/jobs?limit=1').catch(() => {});
}
