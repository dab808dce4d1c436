// Kilde's only script: switch the article's highlight layers on and off, and point from a listed quote to
// where it stands in the text. The pages work without it.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const box of document.querySelectorAll("input[data-layer]")) {
    box.addEventListener("change", () => document.body.classList.toggle("hide-" + box.dataset.layer, !box.checked));
  }
  for (const item of document.querySelectorAll(".side .quotes li[data-quote]")) {
    item.addEventListener("click", (event) => {
      if (event.target.closest("a")) return;
      const spans = document.querySelectorAll(`.text .quote[data-quote="${CSS.escape(item.dataset.quote)}"]`);
      if (!spans.length) return;
      spans[0].scrollIntoView({ behavior: "smooth", block: "center" });
      for (const span of spans) {
        span.classList.add("flash");
        setTimeout(() => span.classList.remove("flash"), 1500);
      }
    });
  }
});
