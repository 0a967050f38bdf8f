// genco's pages work without this file; it adds the countdown, the kept draft and Ctrl+Enter.
(() => {
  "use strict";
  const draftKey = (name) => "genco-draft:" + name;

  // A result page: the answer was scored, so its draft is no longer needed.
  const cleared = document.querySelector("[data-clear-draft]");
  if (cleared) {
    try { localStorage.removeItem(draftKey(cleared.dataset.clearDraft)); } catch (e) { /* storage off */ }
  }

  // The practice page's countdown of the depth's time budget.
  const timer = document.querySelector(".countdown[data-seconds]");
  const started = Date.now();
  if (timer) {
    const budget = Number(timer.dataset.seconds);
    const show = () => {
      const left = Math.max(0, budget - Math.floor((Date.now() - started) / 1000));
      timer.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      if (left === 0) { timer.classList.add("over"); clearInterval(tick); }
    };
    const tick = setInterval(show, 1000);
    show();
  }

  // Forms with an answer box: keep the draft (practice), submit with Ctrl+Enter (every form).
  for (const form of document.querySelectorAll("form")) {
    const box = form.querySelector("textarea");
    if (!box) continue;
    if (form.dataset.draft) {
      const key = draftKey(form.dataset.draft);
      try {
        if (!box.value) box.value = localStorage.getItem(key) || "";
        box.addEventListener("input", () => localStorage.setItem(key, box.value));
      } catch (e) { /* storage off: the box still works */ }
      form.addEventListener("submit", () => {
        const seconds = form.querySelector("input[name=seconds]");
        if (seconds) seconds.value = ((Date.now() - started) / 1000).toFixed(1);
      });
    }
    box.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
  }
})();
