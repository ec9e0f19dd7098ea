// A pane's row of counters (.counters in index.html): cells found by data-count name,
// each showing "–" until its guest says something worth counting.
export class Counters {
  constructor(root) {
    this.cells = Object.fromEntries([...root.querySelectorAll("[data-count]")].map((el) => [el.dataset.count, el]));
  }
  reset() {
    for (const el of Object.values(this.cells)) {
      el.textContent = "–";
      el.removeAttribute("title");
      delete el.dataset.verdict;
    }
  }
  set(name, text, { title, verdict } = {}) {
    const el = this.cells[name];
    el.textContent = text;
    if (title) el.title = title;
    if (verdict) el.dataset.verdict = verdict;
  }
}
