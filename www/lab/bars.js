// Bar charts of the lab's views, drawn as the page's comparison chart is (compare.js): groups of
// horizontal bars, one bar per pane in its colour, each bar with its number. Plain elements.

/**
 * @param {Array<{title: string, rows: Array<{label: string, pane: number, value: number, text: string}>}>} groups
 *   each group's bars are scaled to its largest value, or all to the largest of all with `shared`
 * @param {{shared?: boolean}} [options]
 * @returns {HTMLElement} a `.chart` element
 */
export function barChart(groups, { shared = false } = {}) {
  const all = Math.max(...groups.flatMap((g) => g.rows.map((r) => r.value)), 1e-9);
  const chart = document.createElement("div");
  chart.className = "chart lab-chart";
  for (const g of groups) {
    const group = document.createElement("div");
    group.className = "chart-group";
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
      row.append(name, track, value);
      group.append(row);
    }
    chart.append(group);
  }
  return chart;
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
