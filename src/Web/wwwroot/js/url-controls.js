// Filter forms whose results htmx pushes into the history (hx-push-url): going Back restores the results from htmx's
// snapshot, whose controls carry the values they were rendered with, not the ones the address names. Every named
// control of a form[data-url-controls] is set from the address whenever a page or a history entry is shown.
(() => {
  function sync() {
    const params = new URLSearchParams(window.location.search);
    for (const form of document.querySelectorAll('form[data-url-controls]')) {
      for (const control of form.elements) {
        if (!control.name || control.type === 'submit' || control.type === 'button') {
          continue;
        }
        if (control.type === 'checkbox' || control.type === 'radio') {
          control.checked = params.getAll(control.name).includes(control.value);
        } else {
          const value = params.get(control.name) ?? '';
          if (control.value !== value) {
            control.value = value;
          }
        }
      }
    }
  }

  document.addEventListener('htmx:historyRestore', sync);
  window.addEventListener('pageshow', sync);
})();
