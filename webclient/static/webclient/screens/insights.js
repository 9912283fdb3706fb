// The creator's insights: the account's overview against the previous period, exact totals for
// every video, and for creator accounts daily lines, a retention curve, breakdown bars and the
// week of followers' activity (saves for business accounts only). Breakdowns of small audiences
// are withheld by the API; the page says why instead of drawing an empty chart, and says why the
// breakdowns it draws are noised. A country filter narrows the breakdowns to one country's people
// and adds its regions and daily viewers (insightsgeo.js).

import { gql } from "../api.js";
import { lineChart, weekHeatmap } from "../charts.js";
import { edges, guarded, h, show, showErrors } from "../dom.js";
import { CHANNELS, DEVICES, GENDERS, SOURCES, VIEWER_TYPES, ageLabel, breakdown, hourLabel } from "./breakdowns.js";
import { exportPanel } from "./insightsexport.js";
import { COUNTRY_VIEWERS, REGIONS, REGION_NAMES, countriesShown, countryFilter, countryViewersChart,
  geographyTurnedOff, regionsChart, sliceTitle } from "./insightsgeo.js";

const VIDEOS = `query { me { accountType videos(first: 50) { edges { node {
  id caption insights { saveCount viewCount likeCount } } } } } }`;
const TOTALS = `saveCount likeCount viewCount commentCount shareCount downloadCount averageWatchSeconds completionRate
  averagePercentViewed rewatchRate engagementRate`;
const BREAKDOWN = `{ suppressed coveredFrom coveredTo buckets { key count share } }`;
const SLICE = "from: $from, to: $to, country: $country";
// With a country (`regional`), $country is required: the regions and daily viewers need one.
const detailQuery = (regional) => `query Detail($id: ID!, $from: Date!, $to: Date!, $country: String${regional ? "!" : ""})
  { video(id: $id) { id caption insights { ${TOTALS}
  daily(from: $from, to: $to) { date views saves }
  retention(${SLICE}) { suppressed coveredFrom coveredTo points { percent viewers } }
  trafficSources(${SLICE}) ${BREAKDOWN}
  audienceCountries(from: $from, to: $to) ${BREAKDOWN}
  audienceGenders(${SLICE}) ${BREAKDOWN}
  audienceAges(${SLICE}) ${BREAKDOWN}
  viewerTypes(${SLICE}) ${BREAKDOWN}
  audienceDevices(${SLICE}) ${BREAKDOWN}
  shareChannels(${SLICE}) ${BREAKDOWN}
  ${regional ? `audienceRegions(${SLICE}) ${REGIONS} countryViewers(${SLICE}) ${COUNTRY_VIEWERS}` : ""} } } }`;
const FIGURES = `views likes comments shares saves profileViews followersGained followersLost netFollowers engagementRate`;
const OVERVIEW = `query Overview($from: Date!, $to: Date!) { me { insights {
  overview(from: $from, to: $to, compareTo: PREVIOUS_PERIOD) { from to previousFrom previousTo
    totals { ${FIGURES} } change { ${FIGURES} } } } } }`;
const followersQuery = (regional) => `query Followers($from: Date!, $to: Date!, $country: String${regional ? "!" : ""})
  { me { timeZone insights {
  followerCountries(from: $from, to: $to) ${BREAKDOWN}
  followerGenders(${SLICE}) ${BREAKDOWN}
  followerAges(${SLICE}) ${BREAKDOWN}
  followerDevices(${SLICE}) ${BREAKDOWN}
  followerActivity(${SLICE}) ${BREAKDOWN}
  followerActivityByWeekday(${SLICE}) { suppressed timeZone coveredFrom coveredTo slots { weekday hour share } }
  bestTimesToPost(${SLICE}) { weekday hour share }
  ${regional ? `followerRegions(${SLICE}) ${REGIONS}` : ""} } } }`;
const WEEKDAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];
const TOTALS_ONLY = `query Totals($id: ID!) { video(id: $id) { id caption insights { ${TOTALS} } } }`;
const NOTHING = Promise.resolve({ data: null, errors: [] });

let selected = null;
let country = ""; // the filter: "" for every country
let geographyOff = false; // the server answered FORBIDDEN to a country: it has them turned off

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
  if (!retention || retention.suppressed) return breakdown(sliceTitle("Retention", country), retention, (key) => key);
  const points = retention.points.map((p) => ({ date: `${p.percent}%`, value: Math.round(p.viewers * 100) }));
  const title = `${sliceTitle("Retention", country)} (% still watching)`;
  return lineChart(`${title}, ${retention.coveredFrom} to ${retention.coveredTo}`, points, { color: "#ea580c" });
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

function followersSection(me, regionNames) {
  const insights = me.insights;
  const weekly = insights.followerActivityByWeekday;
  let activity;
  if (!weekly || weekly.suppressed) {
    activity = breakdown(sliceTitle("Followers' active hours", country), weekly, (key) => key);
  } else {
    const cells = weekly.slots.map((slot) => ({ weekday: WEEKDAYS.indexOf(slot.weekday), hour: slot.hour,
      share: slot.share }));
    const title = sliceTitle(`Followers' active hours (${weekly.timeZone})`, country);
    activity = weekHeatmap(`${title}, ${weekly.coveredFrom} to ${weekly.coveredTo}`, cells);
  }
  const best = insights.bestTimesToPost || [];
  const label = (t) => `${t.weekday.charAt(0)}${t.weekday.slice(1, 3).toLowerCase()} ${String(t.hour).padStart(2, "0")}:00`;
  return h("section.followers", { id: "followers" },
    h("h2", {}, "Followers"),
    h("div.charts", {},
      country ? regionsChart(sliceTitle("Follower regions", country), insights.followerRegions, regionNames) : null,
      breakdown(sliceTitle("Follower genders", country), insights.followerGenders, (key) => GENDERS[key] || key),
      breakdown(sliceTitle("Follower ages", country), insights.followerAges, ageLabel),
      breakdown(sliceTitle("Follower devices", country), insights.followerDevices, (key) => DEVICES[key] || key),
      breakdown(sliceTitle("Followers' first active hour", country), insights.followerActivity, hourLabel),
      activity,
      best.length
        ? h("p", { "data-testid": "best-times" }, `Best times to post (${me.timeZone}): ${best.map(label).join(", ")}`)
        : weekly && !weekly.suppressed
          ? h("p.muted", { "data-testid": "best-times" },
            "Best times to post: not enough activity yet to tell the hours apart from the noise.")
          : null));
}

function detail(video, creator, business, regionNames) {
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
      country ? countryViewersChart(country, i.countryViewers) : null,
      country ? regionsChart(sliceTitle("Regions", country), i.audienceRegions, regionNames) : null,
      retentionChart(i.retention),
      breakdown(sliceTitle("Traffic sources", country), i.trafficSources, (key) => SOURCES[key] || key),
      breakdown("Countries", i.audienceCountries, (key) => (key === "UNKNOWN" ? "Unknown" : key === "OTHER" ? "Other" : key)),
      breakdown(sliceTitle("Genders", country), i.audienceGenders, (key) => GENDERS[key] || key),
      breakdown(sliceTitle("Ages", country), i.audienceAges, ageLabel),
      breakdown(sliceTitle("Viewer types", country), i.viewerTypes, (key) => VIEWER_TYPES[key] || key),
      breakdown(sliceTitle("Devices", country), i.audienceDevices, (key) => DEVICES[key] || key),
      breakdown(sliceTitle("Share channels", country), i.shareChannels, (key) => CHANNELS[key] || key)),
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
  const regional = Boolean(creator && country);
  const [answer, overview, followers, names] = await Promise.all([
    creator
      ? gql(detailQuery(regional), { id: selected, from: isoDay(from), to: isoDay(to), country: country || null })
      : gql(TOTALS_ONLY, { id: selected }),
    gql(OVERVIEW, range),
    creator ? gql(followersQuery(regional), { ...range, country: country || null }) : NOTHING,
    regional ? gql(REGION_NAMES, { country }) : NOTHING,
  ]);
  if (regional && geographyTurnedOff([...answer.errors, ...followers.errors])) {
    geographyOff = true;
    country = "";
    return renderInsights();
  }
  showErrors([...answer.errors, ...overview.errors, ...followers.errors, ...names.errors]);
  const regionNames = new Map((names.data ? names.data.subdivisions : []).map((s) => [s.code, s.name]));
  const video = answer.data.video;
  const countries = countriesShown([video && video.insights.audienceCountries,
    followers.data && followers.data.me.insights.followerCountries], country);
  const choose = (code) => { country = code; guarded(renderInsights); };
  const rows = videos.map((v) => h("tr", { class: v.id === selected ? "selected" : "", "data-testid": "insights-row" },
    h("td", {}, h("button.link", { type: "button", onclick: () => { selected = v.id; guarded(renderInsights); } }, v.caption)),
    h("td.num", {}, v.insights.viewCount), h("td.num", {}, v.insights.likeCount), h("td.num", {}, v.insights.saveCount)));
  show(
    h("h1", {}, "Insights"),
    overview.data ? overviewSection(overview.data.me.insights.overview, creator, business) : null,
    creator ? exportPanel(range) : null,
    creator ? countryFilter(countries, country, geographyOff, choose) : null,
    followers.data ? followersSection(followers.data.me, regionNames) : null,
    h("div.dashboard", { id: "dashboard" },
      h("table.videos", {}, h("thead", {}, h("tr", {}, h("th", {}, "Video"), h("th", {}, "Views"), h("th", {}, "Likes"),
        h("th", {}, "Saves"))), h("tbody", {}, rows)),
      h("section.detail", {}, video ? detail(video, creator, business, regionNames) : h("p", {}, "Not found."))),
  );
}
