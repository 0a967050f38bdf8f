// genco's pages work without this file; it adds the countdown, the kept draft and Ctrl+Enter.
(() => {
  "use strict";
  const draftKey = (name) => "genco-draft:" + name;
  const startedKey = (name) => draftKey(name) + ":started";
  // localStorage may be off (private windows, settings): every page still works without it.
  const stored = (key) => { try { return localStorage.getItem(key); } catch (e) { return null; } };
  const keep = (key, value) => { try { localStorage.setItem(key, value); } catch (e) { /* storage off */ } };
  const forget = (key) => { try { localStorage.removeItem(key); } catch (e) { /* storage off */ } };

  // A result page: the answer was scored, so its draft and its start time are no longer needed.
  const cleared = document.querySelector("[data-clear-draft]");
  if (cleared) {
    forget(draftKey(cleared.dataset.clearDraft));
    forget(startedKey(cleared.dataset.clearDraft));
  }

  // When the answer was begun: a reload with a kept draft goes on from its start, not from now.
  const drafted = document.querySelector("form[data-draft]");
  const keptStart = drafted && stored(draftKey(drafted.dataset.draft)) ? Number(stored(startedKey(drafted.dataset.draft))) : 0;
  const started = keptStart > 0 && keptStart <= Date.now() ? keptStart : Date.now();

  // The practice page's countdown of the depth's time budget.
  const timer = document.querySelector(".countdown[data-seconds]");
  if (timer) {
    const budget = Number(timer.dataset.seconds);
    const show = () => {
      const left = Math.max(0, budget - Math.floor((Date.now() - started) / 1000));
      timer.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0") + (left === 0 ? " · time is up" : "");
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
      if (!box.value) box.value = stored(key) || "";
      box.addEventListener("input", () => {
        keep(key, box.value);
        if (!stored(startedKey(form.dataset.draft))) keep(startedKey(form.dataset.draft), String(started));
      });
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
