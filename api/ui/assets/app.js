// Entry module of every dashboard page: checks the session, shows who is signed in, removes what the
// role may not use (absent from the DOM, not just hidden), then hands over to the page's module.
import { api, goToSignIn, session } from './api.js';
import { $ } from './dom.js';

async function currentPrincipal() {
  if (!session.key) {
    goToSignIn();
    return null;
  }
  return api('/v1/me');
}

function showSession(me) {
  const who = me.tenant ? `${me.tenant.name} (${me.tenant.slug}) · ${me.role}` : `platform ${me.role}`;
  $('#session-who').textContent = who;
  $('#session').hidden = false;
  $('#nav').hidden = false;
  $('#sign-out').addEventListener('click', () => {
    session.clear();
    location.assign('/ui/sign-in');
  });
}

/** Elements marked `data-role-only` are shown to that role and removed for every other one. */
function applyRole(role) {
  for (const node of document.querySelectorAll('[data-role-only]')) {
    if (node.dataset.roleOnly === role) node.hidden = false;
    else node.remove();
  }
}

async function main() {
  const page = document.body.dataset.page;
  if (page === 'sign-in') {
    (await import('./sign-in.js')).initSignIn();
    return;
  }
  let me;
  try {
    me = await currentPrincipal();
  } catch {
    return; // a 401 already went to the sign-in page
  }
  if (!me) return;
  showSession(me);
  applyRole(me.role);
  const modules = { jobs: './jobs-list.js', create: './job-create.js', job: './job-detail.js' };
  const module = await import(modules[page]);
  await module.init({ me });
}

main().catch((err) => {
  const main = document.getElementById('main');
  const p = document.createElement('p');
  p.className = 'error';
  p.setAttribute('role', 'alert');
  p.textContent = `The page failed to load: ${err && err.message ? err.message : String(err)}`;
  main?.prepend(p);
});
