// The page's charts and tables: groups of horizontal bars, one bar per pane in its colour, each
// bar with its number (the comparison chart under the panes, compare.js, and the lab's views),
// and plain tables. Plain elements (no canvas): readable by screen readers.

/**
 * @typedef {{title: string, key?: string, rows: Array<{label: string, pane: number, value: number, text: string}>}} BarGroup
 *   `key`: the group's `data-metric`
 */

/**
 * A `.chart` element of bar groups (see `barGroups`).
 * @param {BarGroup[]} groups
 * @param {{shared?: boolean}} [options]
 * @returns {HTMLElement}
 */
export function barChart(groups, options) {
  const chart = document.createElement("div");
  chart.className = "chart lab-chart";
  chart.append(...barGroups(groups, options));
  return chart;
}

/**
 * One `.chart-group` element per group: its title, then a row per bar (name, bar, number, the
 * number also as `data-value`). Each group's bars are scaled to its largest value, or all to the
 * largest of all with `shared`.
 * @param {BarGroup[]} groups
 * @param {{shared?: boolean}} [options]
 * @returns {HTMLElement[]}
 */
export function barGroups(groups, { shared = false } = {}) {
  const all = Math.max(...groups.flatMap((g) => g.rows.map((r) => r.value)), 1e-9);
  return groups.map((g) => {
    const group = document.createElement("div");
    group.className = "chart-group";
    if (g.key) group.dataset.metric = g.key;
    const title = document.createElement("h3");
    title.textContent = g.title;
    group.append(title);
    const max = shared ? all : Math.max(...g.rows.map((r) => r.value), 1e-9);
    for (const r of g.rows) {
      const row = document.createElement("div");
      row.className = "chart-row";
      const name = document.createElement("span");
      name.className = "chart-name";
      name.textContent = r.label;
      const track = document.createElement("span");
      track.className = "chart-track";
      const bar = document.createElement("span");
      bar.className = `chart-bar p${r.pane}`;
      bar.style.width = `${(100 * r.value) / max}%`;
      track.append(bar);
      const value = document.createElement("span");
      value.className = "chart-value";
      value.textContent = r.text;
      value.dataset.value = String(r.value);
      row.append(name, track, value);
      group.append(row);
    }
    return group;
  });
}

/**
 * A table: a header row, then rows whose first cell is a row header.
 * @param {string} caption
 * @param {string[]} head
 * @param {Array<Array<string | number>>} rows
 */
export function table(caption, head, rows) {
  const t = document.createElement("table");
  t.className = "lab-table";
  t.createCaption().textContent = caption;
  const hr = t.createTHead().insertRow();
  for (const h of head) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = h;
    hr.append(th);
  }
  const body = t.createTBody();
  for (const cells of rows) {
    const tr = body.insertRow();
    cells.forEach((c, i) => {
      const cell = i === 0 ? document.createElement("th") : document.createElement("td");
      if (i === 0) /** @type {HTMLTableCellElement} */ (cell).scope = "row";
      cell.textContent = String(c);
      tr.append(cell);
    });
  }
  return t;
}
