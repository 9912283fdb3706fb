// The creator's insights: the account's overview against the previous period, exact totals for
// every video, and for creator accounts daily lines, a retention curve, breakdown bars and the
// week of followers' activity (saves for business accounts only). Breakdowns of small audiences
// are withheld by the API; the page says why instead of drawing an empty chart, and says why the
// breakdowns it draws are noised.

import { gql } from "../api.js";
import { barChart, lineChart, weekHeatmap } from "../charts.js";
import { edges, guarded, h, show, showErrors } from "../dom.js";
import { exportPanel } from "./insightsexport.js";

const VIDEOS = `query { me { accountType videos(first: 50) { edges { node {
  id caption insights { saveCount viewCount likeCount } } } } } }`;
const TOTALS = `saveCount likeCount viewCount commentCount shareCount downloadCount averageWatchSeconds completionRate
  averagePercentViewed rewatchRate engagementRate`;
const BREAKDOWN = `{ suppressed coveredFrom coveredTo buckets { key count share } }`;
const DETAIL = `query Detail($id: ID!, $from: Date!, $to: Date!) { video(id: $id) { id caption insights { ${TOTALS}
  daily(from: $from, to: $to) { date views saves }
  retention(from: $from, to: $to) { suppressed coveredFrom coveredTo points { percent viewers } }
  trafficSources(from: $from, to: $to) ${BREAKDOWN}
  audienceCountries(from: $from, to: $to) ${BREAKDOWN}
  audienceDevices(from: $from, to: $to) ${BREAKDOWN}
  shareChannels(from: $from, to: $to) ${BREAKDOWN} } } }`;
const FIGURES = `views likes comments shares saves profileViews followersGained followersLost netFollowers engagementRate`;
const OVERVIEW = `query Overview($from: Date!, $to: Date!) { me { insights {
  overview(from: $from, to: $to, compareTo: PREVIOUS_PERIOD) { from to previousFrom previousTo
    totals { ${FIGURES} } change { ${FIGURES} } } } } }`;
const FOLLOWERS = `query Followers($from: Date!, $to: Date!) { me { timeZone insights {
  followerDevices(from: $from, to: $to) ${BREAKDOWN}
  followerActivityByWeekday(from: $from, to: $to) { suppressed timeZone coveredFrom coveredTo
    slots { weekday hour share } }
  bestTimesToPost(from: $from, to: $to) { weekday hour share } } } }`;
const WEEKDAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];
const DEVICES = { PHONE: "Phone", TABLET: "Tablet", DESKTOP: "Computer", SMART_TV: "TV", UNKNOWN: "Not reported",
  OTHER: "Other" };
const CHANNELS = { COPY_LINK: "Copied link", DIRECT_MESSAGE: "Direct message", WHATSAPP: "WhatsApp", SMS: "SMS",
  EMAIL: "Email", OTHER: "Other" };
const TOTALS_ONLY = `query Totals($id: ID!) { video(id: $id) { id caption insights { ${TOTALS} } } }`;

const SOURCES = {
  FOR_YOU: "For You", FOLLOWING: "Following", PROFILE: "Profile", SEARCH: "Search", SOUND: "Sound",
  DIRECT_MESSAGE: "Direct message", OTHER: "Other", UNKNOWN: "Unknown",
};

let selected = null;

function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

function tile(label, value, testid, change) {
  return h("div.tile", { "data-testid": testid }, h("span.value", {}, value), h("span.label", {}, label),
    change === undefined ? null : changeBadge(change));
}

// The relative change from the previous period: null when there is nothing to compare with.
function changeBadge(change) {
  if (change === null) return h("span.change.flat", { "data-testid": "change" }, "new");
  const percent = Math.round(change * 100);
  const sign = percent > 0 ? "+" : "";
  return h(`span.change.${percent > 0 ? "up" : percent < 0 ? "down" : "flat"}`, { "data-testid": "change" },
    `${sign}${percent}% vs previous`);
}

function percent(rate) {
  return rate === null || rate === undefined ? "\u2013" : `${(rate * 100).toFixed(1)}%`;
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

// How far viewers got: the share still watching at each 5% of the video.
function retentionChart(retention) {
  if (!retention || retention.suppressed) return breakdown("Retention", retention, (key) => key);
  const points = retention.points.map((p) => ({ date: `${p.percent}%`, value: Math.round(p.viewers * 100) }));
  return lineChart(`Retention (% of viewers still watching), ${retention.coveredFrom} to ${retention.coveredTo}`,
    points, { color: "#ea580c" });
}

function overviewSection(overview, creator, business) {
  const t = overview.totals, c = overview.change;
  const tiles = [
    tile("views", t.views, "overview-views", c.views), tile("likes", t.likes, "overview-likes", c.likes),
    tile("comments", t.comments, null, c.comments), tile("shares", t.shares, null, c.shares),
    tile("profile views", t.profileViews, null, c.profileViews),
    tile("engagement", percent(t.engagementRate), null, c.engagementRate),
  ];
  if (business) tiles.push(tile("saves", t.saves, "overview-saves", c.saves));
  if (creator) {
    tiles.push(tile("followers gained", t.followersGained, "followers-gained", c.followersGained),
      tile("followers lost", t.followersLost, "followers-lost", c.followersLost),
      tile("net followers", t.netFollowers, "net-followers", c.netFollowers));
  }
  return h("section.overview", { id: "overview" },
    h("h2", {}, `Last 28 days: ${overview.from} to ${overview.to}`),
    h("div.tiles", {}, tiles),
    h("p.muted", {}, `Compared with ${overview.previousFrom} to ${overview.previousTo}. Exact totals from the rollups.`));
}

function followersSection(me) {
  const weekly = me.insights.followerActivityByWeekday;
  let activity;
  if (!weekly || weekly.suppressed) {
    activity = breakdown("Followers' active hours", weekly, (key) => key);
  } else {
    const cells = weekly.slots.map((slot) => ({ weekday: WEEKDAYS.indexOf(slot.weekday), hour: slot.hour,
      share: slot.share }));
    activity = weekHeatmap(`Followers' active hours (${weekly.timeZone}), ${weekly.coveredFrom} to ${weekly.coveredTo}`,
      cells);
  }
  const best = me.insights.bestTimesToPost || [];
  const label = (t) => `${t.weekday.charAt(0)}${t.weekday.slice(1, 3).toLowerCase()} ${String(t.hour).padStart(2, "0")}:00`;
  return h("section.followers", { id: "followers" },
    h("h2", {}, "Followers"),
    h("div.charts", {},
      breakdown("Follower devices", me.insights.followerDevices, (key) => DEVICES[key] || key),
      activity,
      best.length
        ? h("p", { "data-testid": "best-times" }, `Best times to post (${me.timeZone}): ${best.map(label).join(", ")}`)
        : weekly && !weekly.suppressed
          ? h("p.muted", { "data-testid": "best-times" },
            "Best times to post: not enough activity yet to tell the hours apart from the noise.")
          : null));
}

function detail(video, creator, business) {
  const i = video.insights;
  const parts = [
    h("h2", {}, video.caption),
    h("div.tiles", {},
      tile("saves", i.saveCount, "save-count"), tile("views", i.viewCount, "view-count"),
      tile("likes", i.likeCount, "like-count"), tile("comments", i.commentCount),
      tile("shares", i.shareCount), tile("downloads", i.downloadCount),
      tile("avg. watch (s)", i.averageWatchSeconds.toFixed(1)), tile("completion", `${Math.round(i.completionRate * 100)}%`),
      tile("avg. % viewed", `${i.averagePercentViewed.toFixed(0)}%`, "average-percent-viewed"),
      tile("rewatched", percent(i.rewatchRate)), tile("engagement", percent(i.engagementRate), "engagement-rate")),
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
      retentionChart(i.retention),
      breakdown("Traffic sources", i.trafficSources, (key) => SOURCES[key] || key),
      breakdown("Countries", i.audienceCountries, (key) => (key === "UNKNOWN" ? "Unknown" : key === "OTHER" ? "Other" : key)),
      breakdown("Devices", i.audienceDevices, (key) => DEVICES[key] || key),
      breakdown("Share channels", i.shareChannels, (key) => CHANNELS[key] || key)),
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
  const range = { from: isoDay(new Date(to.getTime() - 27 * 86400000)), to: isoDay(to) };
  const [answer, overview, followers] = await Promise.all([
    creator ? gql(DETAIL, { id: selected, from: isoDay(from), to: isoDay(to) }) : gql(TOTALS_ONLY, { id: selected }),
    gql(OVERVIEW, range),
    creator ? gql(FOLLOWERS, range) : Promise.resolve({ data: null, errors: [] }),
  ]);
  showErrors([...answer.errors, ...overview.errors, ...followers.errors]);
  const rows = videos.map((v) => h("tr", { class: v.id === selected ? "selected" : "", "data-testid": "insights-row" },
    h("td", {}, h("button.link", { type: "button", onclick: () => { selected = v.id; guarded(renderInsights); } }, v.caption)),
    h("td.num", {}, v.insights.viewCount), h("td.num", {}, v.insights.likeCount), h("td.num", {}, v.insights.saveCount)));
  show(
    h("h1", {}, "Insights"),
    overview.data ? overviewSection(overview.data.me.insights.overview, creator, business) : null,
    creator ? exportPanel(range) : null,
    followers.data ? followersSection(followers.data.me) : null,
    h("div.dashboard", { id: "dashboard" },
      h("table.videos", {}, h("thead", {}, h("tr", {}, h("th", {}, "Video"), h("th", {}, "Views"), h("th", {}, "Likes"),
        h("th", {}, "Saves"))), h("tbody", {}, rows)),
      h("section.detail", {}, answer.data.video ? detail(answer.data.video, creator, business) : h("p", {}, "Not found."))),
  );
}
