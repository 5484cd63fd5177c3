// The session viewer: waits for the session to run, streams it with noVNC through our gateway (or, for a template that
// serves its own web client, frames that app from its session host), reconnects when the connection drops, and drives
// the toolbar. No framework; the page's data attributes carry the URLs and the tier's rules.
import RFB from '../lib/novnc/core/rfb.js';
import { showIdleOutlook, onKeepWorking } from './idle-countdown.js';

const root = document.getElementById('viewer');
const config = root.dataset;
const screen = document.getElementById('screen');
const status = document.getElementById('status');
const overlay = document.getElementById('overlay');
const overlayTitle = document.getElementById('overlay-title');
const overlayDetail = document.getElementById('overlay-detail');
const overlaySpinner = document.getElementById('overlay-spinner');
const resumeButton = document.getElementById('resume');
const backButton = document.getElementById('back');
const clipboardText = document.getElementById('clipboard-text');
const clipboardIn = config.clipboardIn === 'true';
const clipboardOut = config.clipboardOut === 'true';
const keepAwakeButton = document.getElementById('keep-awake');
const watchedBanner = document.getElementById('watched-banner');
const homeFullBanner = document.getElementById('home-full-banner');
const viewOnly = config.viewOnly === 'true';
const refusal = document.getElementById('refusal');

const settledStates = new Set(['Hibernated', 'Failed', 'Terminated']);
let rfb = null;
// The framed app of an http session (data-app-url), or null.
let app = null;
let failedAttempts = 0;
let pollTimer = null;
let leaving = false;
let keepAwake = false;

function setStatus(state, text) {
  status.dataset.state = state;
  status.textContent = text;
}

function showOverlay(title, detail, { spinner = true, resume = false, back = false } = {}) {
  overlayTitle.textContent = title;
  overlayDetail.textContent = detail ?? '';
  overlaySpinner.classList.toggle('d-none', !spinner);
  resumeButton.classList.toggle('d-none', !resume);
  backButton.classList.toggle('d-none', !back);
  overlay.hidden = false;
}

async function poll() {
  clearTimeout(pollTimer);
  let session;
  try {
    const response = await fetch(config.statusUrl, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    if (response.status === 404) {
      setStatus('disconnected', 'Not found');
      showOverlay('This session does not exist any more.', '', { spinner: false, back: true });
      return;
    }
    session = await response.json();
  } catch {
    pollTimer = setTimeout(poll, 2000);
    return;
  }

  showOutlook(session);
  showActions(session.state);
  if (session.state === 'Running') {
    connect();
  } else if (session.state === 'Hibernated') {
    setStatus('disconnected', 'Hibernated');
    const why = hibernationCause(session.hibernatedBecause);
    showOverlay('This session is hibernating.', `${why}Its files are kept. Resume it to carry on where you left off.`, { spinner: false, resume: true, back: true });
  } else if (session.state === 'Failed') {
    setStatus('disconnected', 'Failed');
    showOverlay('The session could not start.', session.failureReason, { spinner: false, back: true });
  } else if (session.state === 'Terminated') {
    setStatus('disconnected', 'Terminated');
    showOverlay('This session has ended.', '', { spinner: false, back: true });
  } else {
    setStatus('connecting', session.state);
    showOverlay(session.progress ?? `${session.state}…`, '');
    pollTimer = setTimeout(poll, 500);
  }
}

// The recorded reason (`user`, `admin`, `quota`, `idle 30m`, `max duration 8h`, `StreamSpace stopped`) in words.
function hibernationCause(reason) {
  if (!reason) return '';
  if (reason === 'user') return 'You hibernated it. ';
  if (reason === 'admin') return 'An administrator hibernated it. ';
  if (reason === 'quota') return "It was hibernated to bring your organisation back within its quota. ";
  if (reason.startsWith('idle ')) return `It hibernated after ${reason.slice(5)} without input. `;
  if (reason.startsWith('max duration ')) return `It reached the longest a session may run (${reason.slice(13)}). `;
  return `It hibernated because ${reason}. `;
}

function connect() {
  if (config.appUrl) {
    openApp();
    return;
  }
  if (rfb) {
    return;
  }
  setStatus('connecting', 'Connecting…');
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  rfb = new RFB(screen, `${scheme}//${location.host}${config.streamUrl}`, { shared: true });
  rfb.resizeSession = true;
  rfb.scaleViewport = false;
  rfb.focusOnClick = true;
  rfb.showDotCursor = true;
  // A watching admin's browser sends nothing; the gateway drops it anyway.
  rfb.viewOnly = viewOnly;
  rfb.addEventListener('connect', () => {
    failedAttempts = 0;
    overlay.hidden = true;
    setStatus('connected', 'Connected');
    if (!viewOnly) {
      rfb.focus();
    }
  });
  rfb.addEventListener('disconnect', () => {
    rfb = null;
    setStatus('disconnected', 'Disconnected');
    if (leaving) {
      return;
    }
    // Reconnect with back-off, asking first whether the session still runs.
    failedAttempts += 1;
    showOverlay('Connection lost, reconnecting…', '');
    pollTimer = setTimeout(poll, Math.min(10000, 250 * 2 ** failedAttempts));
  });
  rfb.addEventListener('clipboard', (event) => {
    if (clipboardOut && clipboardText) {
      clipboardText.value = event.detail.text;
    }
  });
}

// The app's own web client, framed from its session host: the frame's first request takes a fresh ticket from the portal.
function openApp() {
  if (app) {
    return;
  }
  app = document.createElement('iframe');
  app.className = 'viewer-app';
  app.title = document.title;
  app.allow = 'clipboard-read; clipboard-write; fullscreen; autoplay; microphone';
  app.src = config.appUrl;
  screen.append(app);
  overlay.hidden = true;
  setStatus('connected', 'Connected');
  app.focus();
}

function closeApp() {
  app?.remove();
  app = null;
}

// The countdown (idle-countdown.js), corrected by a status refresh every 15 s.
function showOutlook(session) {
  keepAwake = session.keepAwake;
  keepAwakeButton.setAttribute('aria-pressed', String(keepAwake));
  keepAwakeButton.textContent = keepAwake ? 'Kept awake' : 'Keep awake';
  watchedBanner.hidden = viewOnly || !session.watchedByAdmin;
  homeFullBanner.hidden = viewOnly || !session.homeFull;
  showIdleOutlook(session);
}

async function refreshOutlook() {
  try {
    const response = await fetch(config.statusUrl, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    if (response.ok) {
      const session = await response.json();
      showOutlook(session);
      // A framed app has no connection to lose: the status says when its session stopped running.
      if (app && session.state !== 'Running') {
        closeApp();
        poll();
      }
    }
  } catch {
    // The next refresh will try again.
  }
}

setInterval(() => {
  if ((rfb || app) && !leaving) {
    refreshOutlook();
  }
}, 15000);

onKeepWorking(viewOnly, async () => {
  if (await post(config.keepWorkingUrl)) {
    await refreshOutlook();
    rfb?.focus();
    app?.focus();
  }
});

keepAwakeButton.addEventListener('click', async () => {
  if (await post(`${config.keepAwakeUrl}&on=${!keepAwake}`)) {
    await refreshOutlook();
  }
});

// A toolbar action; a refusal (a quota, a state that no longer allows it) is shown under the toolbar, never swallowed.
async function post(url) {
  refusal.hidden = true;
  let response;
  try {
    response = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { RequestVerificationToken: config.token, Accept: 'application/json' },
    });
  } catch {
    showRefusal('StreamSpace could not be reached. Check your connection and try again.');
    return false;
  }
  if (response.ok) {
    return true;
  }
  let message = `The action failed (HTTP ${response.status}). Reload the page and try again.`;
  if (response.status === 404) {
    message = 'This session does not exist any more.';
  } else if (response.headers.get('Content-Type')?.includes('json')) {
    message = (await response.json()).error ?? message;
  }
  showRefusal(message);
  return false;
}

function showRefusal(message) {
  refusal.textContent = message;
  refusal.hidden = false;
}

// Only what applies to the session's state: a hibernated or failed session has nothing to hibernate, keep awake or paste into.
function showActions(state) {
  const running = state === 'Running';
  for (const id of ['hibernate', 'keep-awake', 'clipboard-menu']) {
    const action = document.getElementById(id);
    if (action) {
      action.hidden = !running;
    }
  }
  document.getElementById('terminate').hidden = state === 'Terminated';
}

document.getElementById('hibernate').addEventListener('click', async () => {
  if (await post(config.hibernateUrl)) {
    rfb?.disconnect();
    closeApp();
    showOverlay('Hibernating…', 'Your files are kept.');
    pollTimer = setTimeout(poll, 500);
  }
});

document.getElementById('terminate').addEventListener('click', async () => {
  if (!confirm('Terminate this session? Files in your home directory are kept.')) {
    return;
  }
  leaving = true;
  rfb?.disconnect();
  closeApp();
  if (await post(config.terminateUrl)) {
    location.href = config.sessionsUrl;
  }
});

resumeButton.addEventListener('click', async () => {
  if (await post(config.resumeUrl)) {
    failedAttempts = 0;
    showOverlay('Waking up…', '');
    pollTimer = setTimeout(poll, 300);
  }
});

document.getElementById('fullscreen').addEventListener('click', () => {
  if (document.fullscreenElement) {
    document.exitFullscreen();
  } else {
    document.documentElement.requestFullscreen();
  }
});

// Sending keeps the focus in the menu (Esc closes it instead of reaching the session) and says it worked; the session
// gets the keyboard back when the menu closes.
const clipboardSend = document.getElementById('clipboard-send');
clipboardSend?.addEventListener('click', () => {
  if (clipboardIn && rfb && clipboardText.value) {
    rfb.clipboardPasteFrom(clipboardText.value);
    clipboardSend.textContent = 'Sent';
    setTimeout(() => { clipboardSend.textContent = 'Send to session'; }, 2000);
    clipboardSend.focus();
  }
});
document.getElementById('clipboard-menu')?.addEventListener('hidden.bs.dropdown', () => {
  rfb?.focus();
});

window.addEventListener('beforeunload', () => {
  leaving = true;
});

poll();
