// The idle countdown with "Keep working", shared by every viewer (noVNC's and the framed app's): shown from the warning
// time on, ticking locally between status refreshes. The page renders its markup with the _IdleBanner partial.
const banner = document.getElementById('idle-banner');
const countdown = document.getElementById('idle-countdown');
const reason = document.getElementById('idle-reason');
const keepWorking = document.getElementById('keep-working');
let hibernatesAt = null;

function tick() {
  if (!hibernatesAt) {
    banner.hidden = true;
    return;
  }
  const left = Math.max(0, Math.round((hibernatesAt - Date.now()) / 1000));
  countdown.textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
  banner.hidden = false;
}

setInterval(tick, 1000);

/// Shows the outlook from a status answer (`state`, `warn`, `hibernatesAt`, `hibernateReason`).
export function showIdleOutlook(session) {
  hibernatesAt = session.state === 'Running' && session.warn && session.hibernatesAt ? new Date(session.hibernatesAt) : null;
  reason.textContent = session.hibernateReason ?? '';
  tick();
}

/// Wires the button: `keep` posts the keep-working action and resolves true when it was accepted. A watching admin sees
/// the countdown but cannot keep the member's session awake.
export function onKeepWorking(viewOnly, keep) {
  keepWorking.hidden = viewOnly;
  keepWorking.addEventListener('click', keep);
}
