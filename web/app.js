import { ApiError, createApi } from './api.js';
import { session } from './session.js';

// The sites as they spell themselves; the API's route names are lower-case ids.
const SITE_NAMES = { headhunter: 'hh.ru', superjob: 'SuperJob', sandbox: 'Sandbox' };
const RESULT_TEXT = {
  published: 'Raised',
  too_early: 'The site said it was too early; waiting for its next window',
  failed: 'The site could not be reached; trying again',
  unusable: 'The site will not raise this resume; switched off',
  gone: 'The site no longer has this resume; switched off',
  relogin_required: 'The site needs you to sign in again',
};
// The token is renewed this long before it expires, while the page is open.
const REFRESH_BEFORE_EXPIRY_MS = 60_000;
const RETRY_REFRESH_MS = 30_000;

const view = document.getElementById('view');
const notice = document.getElementById('notice');
const account = document.getElementById('account');
const statsBody = document.getElementById('stats-body');
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

let api;
let refreshTimer;
let countdownTimer;

const siteName = provider => SITE_NAMES[provider] ?? provider;

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  node.append(...children.filter(child => child !== null && child !== undefined));
  return node;
}

function say(message) {
  notice.textContent = message ?? '';
}

function render(title, ...content) {
  clearInterval(countdownTimer);
  document.title = `${title} · PushResume`;
  view.replaceChildren(el('h1', {}, title), ...content);
  view.setAttribute('aria-busy', 'false');
}

function loading(title) {
  render(title, el('p', {}, 'Loading…'));
  view.setAttribute('aria-busy', 'true');
}

function when(iso) {
  if (!iso) return el('span', {}, 'never');
  const date = new Date(iso);
  return el('time', { datetime: date.toISOString(), title: absolute.format(date) }, `${ago(date)} (${absolute.format(date)})`);
}

function ago(date) {
  const seconds = Math.round((date.getTime() - Date.now()) / 1000);
  const units = [['day', 86400], ['hour', 3600], ['minute', 60]];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return relative.format(Math.trunc(seconds / size), unit);
  }
  return relative.format(seconds, 'second');
}

function countdown(iso) {
  const seconds = Math.round((new Date(iso).getTime() - Date.now()) / 1000);
  if (seconds <= 0) return 'due now';
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  return `in ${hours ? `${hours} h ` : ''}${hours || minutes ? `${minutes} min ` : ''}${rest} s`;
}

function setSignedIn(signedIn) {
  account.hidden = !signedIn;
}

async function showSignIn(message) {
  setSignedIn(false);
  clearTimeout(refreshTimer);
  say(message);
  loading('Sign in');
  let providers;
  try {
    providers = await api.providers();
  } catch (error) {
    render('Sign in', el('p', { class: 'error' }, error.message), el('button', { type: 'button', onclick: () => showSignIn() }, 'Try again'));
    return;
  }

  if (providers.length === 0) {
    render('Sign in', el('p', {}, 'No job site is available right now. Please come back later.'));
    return;
  }

  render(
    'Sign in',
    el('p', {}, 'Sign in with your job-site account, then choose which resumes PushResume keeps at the top of recruiters\' searches.'),
    el('ul', { class: 'providers' }, ...providers.map(provider => el('li', {},
      el('button', { type: 'button', class: 'button primary', onclick: () => startSignIn(provider) }, `Sign in with ${siteName(provider)}`)))));
}

async function startSignIn(provider) {
  try {
    const { redirect } = await api.authorizationUrl(provider);
    // The site sends the browser back with this state; only a sign-in started in this tab is accepted.
    session.rememberState(provider, new URL(redirect).searchParams.get('state'));
    location.assign(redirect);
  } catch (error) {
    say(`Could not start signing in with ${siteName(provider)}: ${error.message}`);
  }
}

async function completeSignIn(provider) {
  const query = new URLSearchParams(location.search);
  // The code is single-use and must not stay in the address bar or the history.
  history.replaceState(null, '', '/');
  const started = session.takeState();
  const failed = message => {
    setSignedIn(false);
    render('Sign-in failed', el('p', { class: 'error' }, message), el('p', {}, el('a', { href: '/' }, 'Back to sign-in')));
  };

  if (query.get('error')) {
    failed(query.get('error') === 'access_denied'
      ? `You did not allow PushResume access at ${siteName(provider)}.`
      : `${siteName(provider)} refused the sign-in (${query.get('error')}).`);
    return;
  }

  const code = query.get('code');
  const state = query.get('state');
  if (!code) {
    failed(`${siteName(provider)} sent no authorization code.`);
    return;
  }

  if (!started || started.provider !== provider || started.state !== state) {
    failed('This sign-in was not started from this tab, or has already been used. Please sign in again.');
    return;
  }

  loading('Signing in');
  try {
    const { token } = await api.signIn(provider, code, state);
    session.save(token);
    scheduleRefresh();
    await showResumes();
  } catch (error) {
    failed(error.message);
  }
}

async function showResumes() {
  setSignedIn(true);
  scheduleRefresh();
  if (!view.querySelector('.resumes')) loading('Your resumes');
  let resumes;
  try {
    resumes = await api.resumes();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      signOut('Your session has ended. Please sign in again.');
    } else if (error instanceof ApiError && error.status === 503) {
      render('Your resumes',
        el('p', { class: 'error' }, 'The job site is not available right now, so your resumes cannot be shown. PushResume keeps raising the ones you switched on.'),
        el('button', { type: 'button', onclick: () => showResumes() }, 'Try again'));
    } else {
      render('Your resumes', el('p', { class: 'error' }, error.message), el('button', { type: 'button', onclick: () => showResumes() }, 'Try again'));
    }
    return;
  }

  if (resumes.length === 0) {
    render('Your resumes', el('p', {}, 'Your job-site account has no resumes yet. Create one on the site, then come back.'));
    return;
  }

  render('Your resumes',
    el('p', {}, 'Switch on the resumes to keep at the top: PushResume raises each the moment its site allows it.'),
    el('ul', { class: 'resumes' }, ...resumes.map(resumeItem)));
  countdownTimer = setInterval(tickCountdowns, 1000);
}

function resumeItem(resume, index) {
  const switchId = `switch-${index}`;
  const titleId = `title-${index}`;
  const details = [
    el('dt', {}, 'Raised on the site'), el('dd', {}, when(resume.published)),
  ];
  if (resume.last_push || resume.enabled) {
    details.push(el('dt', {}, 'Last raised by PushResume'), el('dd', {}, when(resume.last_push)));
  }
  if (resume.last_result) {
    const text = RESULT_TEXT[resume.last_result.status] ?? resume.last_result.status;
    const message = resume.last_result.message ? ` (${resume.last_result.message})` : '';
    details.push(el('dt', {}, 'Last result'), el('dd', { class: `result-${resume.last_result.status}` }, text + message));
  }
  if (resume.next_push) {
    details.push(el('dt', {}, 'Next raise'), el('dd', {}, el('span', { 'data-next': resume.next_push }, countdown(resume.next_push)), ` (${absolute.format(new Date(resume.next_push))})`));
  }
  if (typeof resume.pushes === 'number' && resume.pushes > 0) {
    details.push(el('dt', {}, 'Raised by PushResume'), el('dd', {}, `${resume.pushes} ${resume.pushes === 1 ? 'time' : 'times'}`));
  }

  const toggle = el('input', { type: 'checkbox', role: 'switch', id: switchId, 'aria-describedby': titleId, checked: resume.enabled });
  toggle.addEventListener('change', () => setEnabled(resume, toggle));
  return el('li', { class: 'resume' },
    el('div', {},
      el('h2', { id: titleId }, resume.title || 'Untitled resume'),
      el('p', { class: 'who' }, resume.name, ' · ', el('a', { href: resume.link, target: '_blank', rel: 'noopener noreferrer' }, 'Open on the site'))),
    el('label', { class: 'switch', for: switchId }, toggle, 'Keep raised'),
    el('dl', {}, ...details));
}

async function setEnabled(resume, toggle) {
  const wanted = toggle.checked;
  const id = toggle.id;
  toggle.disabled = true;
  try {
    const { enabled } = await api.setEnabled(resume.uniq, wanted);
    await showResumes();
    // The list is drawn anew; a keyboard user stays on the switch they used.
    document.getElementById(id)?.focus();
    say(`${resume.title || 'The resume'} is ${enabled ? 'switched on: PushResume will raise it' : 'switched off'}.`);
  } catch (error) {
    toggle.checked = !wanted;
    toggle.disabled = false;
    if (error instanceof ApiError && error.status === 401) signOut('Your session has ended. Please sign in again.');
    else say(`Could not change ${resume.title || 'the resume'}: ${error.message}`);
  }
}

function tickCountdowns() {
  for (const node of view.querySelectorAll('[data-next]')) node.textContent = countdown(node.dataset.next);
}

function scheduleRefresh() {
  clearTimeout(refreshTimer);
  const expiresAt = session.expiresAt();
  if (!expiresAt) return;
  const delay = Math.max(expiresAt.getTime() - Date.now() - REFRESH_BEFORE_EXPIRY_MS, 0);
  refreshTimer = setTimeout(async () => {
    try {
      const { token } = await api.refresh();
      session.save(token);
      scheduleRefresh();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) signOut('Your session has ended. Please sign in again.');
      else refreshTimer = setTimeout(scheduleRefresh, RETRY_REFRESH_MS);
    }
  }, delay);
}

function signOut(message) {
  session.forget();
  clearTimeout(refreshTimer);
  history.replaceState(null, '', '/');
  showSignIn(message);
}

async function deleteData() {
  if (!confirm('Delete your PushResume account? PushResume stops raising your resumes and forgets everything it stored about you. Your resumes on the job site stay as they are.')) return;
  try {
    await api.deleteUser();
    signOut('Your data has been deleted.');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) signOut('Your session has ended. Please sign in again.');
    else say(`Could not delete your data: ${error.message}`);
  }
}

async function showStats() {
  let stats;
  try {
    stats = await api.stats();
  } catch {
    statsBody.replaceChildren(el('p', { class: 'small' }, 'Statistics are not available right now.'));
    return;
  }

  const figure = (label, value) => [el('dt', {}, label), el('dd', {}, String(value ?? 0))];
  statsBody.replaceChildren(
    el('ul', { class: 'stats' }, ...stats.providers.map(provider => el('li', {},
      el('strong', {}, siteName(provider.name)),
      el('dl', {},
        ...figure('Users', provider.users),
        ...figure('Resumes', provider.resume),
        ...figure('Switched on', provider.enabled),
        ...figure('Raised, last 24 h', provider.pushes?.ok),
        ...figure('Too early, last 24 h', provider.pushes?.too_early),
        ...figure('Failed, last 24 h', provider.pushes?.failed))))),
    el('p', { class: 'small' }, `Figures from ${absolute.format(new Date(stats.updated))} · backend ${stats.version}`));
}

async function start() {
  const config = await fetch('/config.json').then(response => response.json()).catch(() => ({}));
  api = createApi(config.apiBaseUrl ?? 'http://127.0.0.1:7071', session);
  document.getElementById('sign-out').addEventListener('click', () => signOut('You have signed out.'));
  document.getElementById('delete-data').addEventListener('click', deleteData);
  showStats();

  const callback = location.pathname.match(/^\/auth\/([^/]+)\/?$/);
  if (callback) await completeSignIn(decodeURIComponent(callback[1]));
  else if (session.token()) await showResumes();
  else await showSignIn();
}

start();
