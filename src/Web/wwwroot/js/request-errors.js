// htmx swaps no error response (the layout's responseHandling), so a POST that failed would otherwise change nothing on the
// page and say nothing. Every failed htmx request says here what went wrong and what to do; the next request that succeeds
// clears it.
(() => {
  function describe(xhr) {
    const status = xhr ? xhr.status : 0;
    if (status === 0) {
      return 'StreamSpace could not be reached. Check your connection, then try again.';
    }
    if (status === 400) {
      return 'This page is out of date (error 400). Reload it, then try again.';
    }
    if (status === 403) {
      return 'You are not allowed to do that (error 403). Reload the page: your role may have changed.';
    }
    if (status === 404) {
      return 'That is no longer there (error 404). Reload the page to see what is.';
    }
    if (status === 429) {
      return 'Too many requests (error 429). Wait a moment, then try again.';
    }
    if (status === 503) {
      const after = Number.parseInt(xhr.getResponseHeader('Retry-After') ?? '', 10);
      const wait = Number.isFinite(after) && after > 0 ? `in ${after} seconds` : 'in a moment';
      return `StreamSpace is briefly unavailable (error 503). Nothing was changed; try again ${wait}.`;
    }
    if (status >= 500) {
      return `Something went wrong on our side (error ${status}). Nothing shown here changed. Try again; if it keeps failing, tell your administrator.`;
    }
    return `The request was refused (error ${status}). Reload the page, then try again.`;
  }

  const box = document.getElementById('request-error');
  if (!box) {
    return;
  }

  function show(message) {
    box.querySelector('[data-message]').textContent = message;
    box.hidden = false;
  }

  function clear() {
    box.hidden = true;
  }

  document.addEventListener('htmx:responseError', (event) => show(describe(event.detail.xhr)));
  document.addEventListener('htmx:sendError', () => show(describe(null)));
  document.addEventListener('htmx:afterRequest', (event) => {
    if (event.detail.successful) {
      clear();
    }
  });
  document.addEventListener('click', (event) => {
    if (event.target instanceof Element && event.target.closest('#request-error [data-dismiss]')) {
      clear();
    }
  });
})();
