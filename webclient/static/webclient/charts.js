// Charts drawn by hand as inline SVG: no library, no network, and they scale with the page.

const SVG = "http://www.w3.org/2000/svg";

function s(tag, attrs = {}, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  if (text !== undefined) el.textContent = text;
  return el;
}

/**
 * A line over days: points are [{ date, value }]. Zeros still draw a flat line, so an empty
 * month reads as "nothing happened", not as "the chart broke".
 */
export function lineChart(title, points, { color = "#2563eb" } = {}) {
  const width = 560, height = 150, left = 40, right = 12, top = 24, bottom = 28;
  const max = Math.max(1, ...points.map((p) => p.value));
  const stepX = points.length > 1 ? (width - left - right) / (points.length - 1) : 0;
  const y = (v) => top + (height - top - bottom) * (1 - v / max);
  const svg = s("svg", { viewBox: `0 0 ${width} ${height}`, class: "chart line-chart", role: "img" });
  svg.append(s("title", {}, title));
  svg.append(s("text", { x: left, y: 14, class: "chart-title" }, title));
  for (const v of [0, max]) {
    svg.append(s("line", { x1: left, x2: width - right, y1: y(v), y2: y(v), class: "grid" }));
    svg.append(s("text", { x: left - 6, y: y(v) + 4, class: "axis", "text-anchor": "end" }, v));
  }
  const coords = points.map((p, i) => `${left + i * stepX},${y(p.value)}`).join(" ");
  svg.append(s("polyline", { points: coords, fill: "none", stroke: color, "stroke-width": 2 }));
  points.forEach((p, i) => {
    const dot = s("circle", { cx: left + i * stepX, cy: y(p.value), r: 2.5, fill: color });
    dot.append(s("title", {}, `${p.date}: ${p.value}`));
    svg.append(dot);
  });
  if (points.length) {
    svg.append(s("text", { x: left, y: height - 8, class: "axis" }, points[0].date));
    const last = points[points.length - 1].date;
    svg.append(s("text", { x: width - right, y: height - 8, class: "axis", "text-anchor": "end" }, last));
  }
  return svg;
}

/**
 * Horizontal bars: rows are [{ label, share (0..1), count }], largest first as the API sends them.
 * The label column widens for long labels (a region's name) up to 40% of the chart.
 */
export function barChart(title, rows, { color = "#0d9488" } = {}) {
  const width = 560, rowHeight = 24, top = 24, right = 70;
  const label = Math.min(224, Math.max(130, 14 + 6.5 * Math.max(0, ...rows.map((row) => row.label.length))));
  const height = top + rows.length * rowHeight + 6;
  const svg = s("svg", { viewBox: `0 0 ${width} ${height}`, class: "chart bar-chart", role: "img" });
  svg.append(s("title", {}, title));
  svg.append(s("text", { x: 0, y: 14, class: "chart-title" }, title));
  const span = width - label - right;
  rows.forEach((row, i) => {
    const yPos = top + i * rowHeight;
    svg.append(s("text", { x: label - 8, y: yPos + 16, class: "axis", "text-anchor": "end" }, row.label));
    svg.append(s("rect", { x: label, y: yPos + 4, height: 16, width: Math.max(1, span * row.share), fill: color }));
    const pct = `${Math.round(row.share * 100)}%`;
    svg.append(s("text", { x: label + span * row.share + 6, y: yPos + 16, class: "axis" }, pct));
  });
  return svg;
}

/**
 * A week as a grid: cells are [{ weekday (0 = Monday), hour, share }], shaded by share of the
 * busiest cell; each cell's title says its hour and share.
 */
export function weekHeatmap(title, cells, { color = "#7c3aed" } = {}) {
  const days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
  const width = 560, top = 24, left = 40, cell = (width - left) / 24, rowHeight = 18;
  const height = top + days.length * rowHeight + 20;
  const max = Math.max(...cells.map((c) => c.share), 1e-9);
  const svg = s("svg", { viewBox: `0 0 ${width} ${height}`, class: "chart heatmap", role: "img" });
  svg.append(s("title", {}, title));
  svg.append(s("text", { x: 0, y: 14, class: "chart-title" }, title));
  days.forEach((day, row) => svg.append(s("text", { x: left - 6, y: top + row * rowHeight + 13, class: "axis",
    "text-anchor": "end" }, day)));
  for (const hour of [0, 6, 12, 18, 23]) {
    svg.append(s("text", { x: left + hour * cell + cell / 2, y: height - 4, class: "axis", "text-anchor": "middle" },
      String(hour).padStart(2, "0")));
  }
  for (const c of cells) {
    const rect = s("rect", { x: left + c.hour * cell + 1, y: top + c.weekday * rowHeight + 1, width: cell - 2,
      height: rowHeight - 2, fill: color, "fill-opacity": (0.08 + 0.92 * (c.share / max)).toFixed(3) });
    rect.append(s("title", {}, `${days[c.weekday]} ${String(c.hour).padStart(2, "0")}:00: ${(c.share * 100).toFixed(1)}%`));
    svg.append(rect);
  }
  return svg;
}
