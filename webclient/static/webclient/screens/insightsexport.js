// The insights export: ask the worker for a CSV of the range's exact daily totals, wait for it
// to be built, then offer its link (made out to this viewer, for a few minutes).

import { gqlWhole } from "../api.js";
import { guarded, h } from "../dom.js";

const EXPORT = `mutation Export($from: Date!, $to: Date!) { exportInsights(input: { from: $from, to: $to }) {
  export { id state downloadUrl error } } }`;
const POLL = `query Poll($id: ID!) { node(id: $id) { ... on InsightsExport { id state downloadUrl error } } }`;
const POLL_MS = 1000, POLL_TIMES = 60;

function wait(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function built(id) {
  for (let attempt = 0; attempt < POLL_TIMES; attempt += 1) {
    const { node } = await gqlWhole(POLL, { id });
    if (node.state !== "PENDING") return node;
    await wait(POLL_MS);
  }
  return { state: "FAILED", error: "The export is taking long: find it later under your exports." };
}

export function exportPanel(range) {
  const status = h("span.muted", { "data-testid": "export-status" });
  const button = h("button", { type: "button", "data-testid": "export" }, "Export CSV (last 28 days)");
  button.addEventListener("click", () => guarded(async () => {
    button.disabled = true;
    status.replaceChildren("Building\u2026");
    try {
      const { exportInsights } = await gqlWhole(EXPORT, range);
      const done = exportInsights.export.state === "PENDING" ? await built(exportInsights.export.id) : exportInsights.export;
      status.replaceChildren(done.state === "READY"
        ? h("a", { href: done.downloadUrl, "data-testid": "export-link" }, `insights-${range.from}-${range.to}.csv`)
        : `Export failed: ${done.error}`);
    } finally {
      button.disabled = false;
    }
  }));
  return h("p.export", {}, button, " ", status);
}
