// The creator's insights: exact totals for every video, and for creator accounts daily lines and
// breakdown bars over the last 30 days (saves per day for business accounts only). Breakdowns of small audiences are withheld by the API;
// the page says why instead of drawing an empty chart, and says why the breakdowns it draws are noised.

import { gql } from "../api.js";
import { barChart, lineChart } from "../charts.js";
import { edges, guarded, h, show, showErrors } from "../dom.js";

const VIDEOS = `query { me { accountType videos(first: 50) { edges { node {
  id caption insights { saveCount viewCount likeCount } } } } } }`;
const TOTALS = `saveCount likeCount viewCount commentCount shareCount downloadCount averageWatchSeconds completionRate`;
const BREAKDOWN = `{ suppressed coveredFrom coveredTo buckets { key count share } }`;
const DETAIL = `query Detail($id: ID!, $from: Date!, $to: Date!) { video(id: $id) { id caption insights { ${TOTALS}
  daily(from: $from, to: $to) { date views saves }
  trafficSources(from: $from, to: $to) ${BREAKDOWN}
  audienceCountries(from: $from, to: $to) ${BREAKDOWN} } } }`;
const TOTALS_ONLY = `query Totals($id: ID!) { video(id: $id) { id caption insights { ${TOTALS} } } }`;

const SOURCES = {
  FOR_YOU: "For You", FOLLOWING: "Following", PROFILE: "Profile", SEARCH: "Search", SOUND: "Sound",
  DIRECT_MESSAGE: "Direct message", OTHER: "Other", UNKNOWN: "Unknown",
};

let selected = null;

function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

function tile(label, value, testid) {
  return h("div.tile", { "data-testid": testid }, h("span.value", {}, value), h("span.label", {}, label));
}

function breakdown(title, result, labelOf) {
  const minimum = document.body.dataset.minAudience || "100";
  if (!result) return h("p.muted", {}, `${title}: not available.`);
  if (result.suppressed) {
    return h("p.suppressed", { "data-testid": "suppressed" }, result.coveredFrom
      ? `${title}: fewer than ${minimum} viewers, hidden to protect their privacy.`
      : `${title}: shown once the current period has ended.`);
  }
  const period = `${title}, ${result.coveredFrom} to ${result.coveredTo}`;
  if (!result.buckets.length) return h("p.muted", {}, `${period}: every group too small to show on its own.`);
  return barChart(period, result.buckets.map((b) => ({ label: labelOf(b.key), share: b.share, count: b.count })));
}

// Beside the breakdowns: their counts are not exact, and why (docs/PRIVACY.md).
function breakdownNote() {
  const days = document.body.dataset.periodDays || "28";
  return h("p.muted", { "data-testid": "breakdown-note" },
    "Counts in breakdowns carry random noise and small groups are folded into \u201cOther\u201d, so that no " +
    "breakdown can reveal a single viewer's or follower's country, gender or age, even to someone who " +
    `controls many accounts. Totals and daily series are exact; breakdowns cover whole ${days}-day ` +
    "periods that have ended.");
}

function detail(video, creator, business) {
  const i = video.insights;
  const parts = [
    h("h2", {}, video.caption),
    h("div.tiles", {},
      tile("saves", i.saveCount, "save-count"), tile("views", i.viewCount, "view-count"),
      tile("likes", i.likeCount, "like-count"), tile("comments", i.commentCount),
      tile("shares", i.shareCount), tile("downloads", i.downloadCount),
      tile("avg. watch (s)", i.averageWatchSeconds.toFixed(1)), tile("completion", `${Math.round(i.completionRate * 100)}%`)),
    h("p.muted", {}, "Totals are exact and live. Who saved is never shown, and saving never notifies you."),
  ];
  if (!creator) {
    parts.push(h("p.muted", {}, "Daily charts and breakdowns are for creator and business accounts."));
    return parts;
  }
  const daily = i.daily || [];
  parts.push(
    h("div.charts", {},
      lineChart("Daily views", daily.map((d) => ({ date: d.date, value: d.views }))),
      business
        ? lineChart("Daily saves", daily.map((d) => ({ date: d.date, value: d.saves })), { color: "#db2777" })
        : h("p.muted", {}, "Daily saves are for business accounts; the save total is above."),
      breakdown("Traffic sources", i.trafficSources, (key) => SOURCES[key] || key),
      breakdown("Countries", i.audienceCountries, (key) => (key === "UNKNOWN" ? "Unknown" : key === "OTHER" ? "Other" : key))),
    breakdownNote(),
    h("p.muted", {}, "Daily series come from rollups (hourly) over the last 30 days, UTC."),
  );
  return parts;
}

export async function renderInsights() {
  const { data, errors } = await gql(VIDEOS);
  showErrors(errors);
  const videos = edges(data.me.videos);
  const creator = data.me.accountType !== "PERSONAL";
  const business = data.me.accountType === "BUSINESS";
  if (!videos.length) {
    show(h("h1", {}, "Insights"), h("p.muted.empty", {}, "Post a video to see its insights here."));
    return;
  }
  if (!videos.some((v) => v.id === selected)) {
    // Open on the most watched video: the one with the most to show.
    selected = videos.reduce((best, v) => (v.insights.viewCount > best.insights.viewCount ? v : best)).id;
  }
  const to = new Date();
  const from = new Date(to.getTime() - 29 * 86400000);
  const answer = creator
    ? await gql(DETAIL, { id: selected, from: isoDay(from), to: isoDay(to) })
    : await gql(TOTALS_ONLY, { id: selected });
  showErrors(answer.errors);
  const rows = videos.map((v) => h("tr", { class: v.id === selected ? "selected" : "", "data-testid": "insights-row" },
    h("td", {}, h("button.link", { type: "button", onclick: () => { selected = v.id; guarded(renderInsights); } }, v.caption)),
    h("td.num", {}, v.insights.viewCount), h("td.num", {}, v.insights.likeCount), h("td.num", {}, v.insights.saveCount)));
  show(
    h("h1", {}, "Insights"),
    h("div.dashboard", { id: "dashboard" },
      h("table.videos", {}, h("thead", {}, h("tr", {}, h("th", {}, "Video"), h("th", {}, "Views"), h("th", {}, "Likes"),
        h("th", {}, "Saves"))), h("tbody", {}, rows)),
      h("section.detail", {}, answer.data.video ? detail(answer.data.video, creator, business) : h("p", {}, "Not found."))),
  );
}
