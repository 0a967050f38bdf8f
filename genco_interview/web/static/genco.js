// genco's pages work without this file; it adds the countdown, the kept draft and Ctrl+Enter.
(() => {
  "use strict";
  // What only this file makes true (a running clock, a kept draft, Ctrl+Enter) is hidden in the page until now.
  for (const shown of document.querySelectorAll("[data-needs-script]")) shown.hidden = false;
  const draftKey = (name) => "genco-draft:" + name;
  const startedKey = (name) => draftKey(name) + ":started";
  const sentKey = (name) => draftKey(name) + ":sent";
  const loaded = Date.now();
  // localStorage may be off (private windows, settings): every page still works without it.
  const stored = (key) => { try { return localStorage.getItem(key); } catch (e) { return null; } };
  const keep = (key, value) => { try { localStorage.setItem(key, value); } catch (e) { /* storage off */ } };
  const forget = (key) => { try { localStorage.removeItem(key); } catch (e) { /* storage off */ } };

  // A result page right after its answer was sent: that answer was scored, so its draft and start
  // time go. Only then: the same page opened again later (Back, the address bar, another site
  // opening it) finds no "sent" mark and leaves a newer draft alone. The mark holds when the answer
  // was sent, and the page when its attempt was kept (data-scored-at): an older attempt's page, opened
  // after a newer answer was sent and refused (too long, a stale page), is not that answer's result.
  const cleared = document.querySelector("[data-clear-draft]");
  const sentAt = cleared ? Number(stored(sentKey(cleared.dataset.clearDraft))) : 0;
  if (sentAt && !(Number(cleared.dataset.scoredAt) < sentAt - 5000)) {  // 5 s: the two clocks may differ
    for (const key of [draftKey, startedKey, sentKey]) forget(key(cleared.dataset.clearDraft));
  }

  // When the answer was begun: a reload with a kept draft goes on from its start, not from now.
  const drafted = document.querySelector("form[data-draft]");
  const keptStart = drafted && stored(draftKey(drafted.dataset.draft)) ? Number(stored(startedKey(drafted.dataset.draft))) : 0;
  const started = keptStart > 0 && keptStart <= Date.now() ? keptStart : Date.now();

  // The countdown of the time budget. On a practice page it runs from when the kept draft was begun;
  // an interview's page says what is left already (data-left), so it runs from the page's load.
  const timer = document.querySelector(".countdown[data-seconds]");
  if (timer) {
    const budget = Number(timer.dataset.seconds);
    const from = "left" in timer.dataset ? loaded : started;
    const show = () => {
      const left = Math.max(0, budget - Math.floor((Date.now() - from) / 1000));
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
        keep(sentKey(form.dataset.draft), String(Date.now()));
      });
    }
    // Sent once: a second Ctrl+Enter or click while the first is on its way would score it twice.
    form.addEventListener("submit", (event) => {
      if (form.dataset.sending) event.preventDefault();
      form.dataset.sending = "1";
    });
    // Back to this page from the browser's cache: it may be sent again.
    window.addEventListener("pageshow", () => { delete form.dataset.sending; });
    box.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
  }
})();
