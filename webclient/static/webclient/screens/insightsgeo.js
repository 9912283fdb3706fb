// The insights' geographic view: a country filter over the breakdowns, the chosen country's
// regions and its viewers per day. A country's figures are a slice noised under a budget of its
// own and shown only for audiences large enough (docs/PRIVACY.md §8); when the server has the
// geographic analytics turned off, the filter gives way to a line that says so.

import { lineChart } from "../charts.js";
import { h } from "../dom.js";
import { countryLabel, regionLabel } from "../places.js";
import { breakdown } from "./breakdowns.js";

// The fields that take `country:`: FORBIDDEN on any of them means the geographic analytics are off.
const SLICED = new Set(["audienceGenders", "audienceAges", "trafficSources", "audienceDevices", "shareChannels",
  "viewerTypes", "retention", "audienceRegions", "countryViewers", "followerGenders", "followerAges",
  "followerDevices", "followerActivity", "followerActivityByWeekday", "bestTimesToPost", "followerRegions"]);

export const REGIONS = `{ suppressed coveredFrom coveredTo buckets { key count share } }`;
export const COUNTRY_VIEWERS = `{ suppressed coveredFrom coveredTo days { date viewers } }`;
export const REGION_NAMES = `query RegionNames($country: String!) { subdivisions(country: $country) { code name } }`;

/** True when the answer's errors say the geographic analytics are turned off. */
export function geographyTurnedOff(errors) {
  return errors.some((e) => e.extensions && e.extensions.code === "FORBIDDEN" && e.path
    && SLICED.has(e.path[e.path.length - 1]));
}

/** The countries a slice could show: those the breakdowns by country show on their own (a country
 * folded into Other, or under a suppressed breakdown, is below any slice's floor), and the chosen one. */
export function countriesShown(breakdowns, chosen) {
  const codes = new Set(chosen ? [chosen] : []);
  for (const result of breakdowns) {
    for (const bucket of (result && !result.suppressed ? result.buckets : [])) {
      if (bucket.key !== "OTHER" && bucket.key !== "UNKNOWN") codes.add(bucket.key);
    }
  }
  return [...codes].sort();
}

/** "Devices" for the whole audience, "Devices in France (FR)" for a country's. */
export function sliceTitle(title, country) {
  return country ? `${title} in ${countryLabel(country)}` : title;
}

export function countryFilter(codes, chosen, turnedOff, onChoose) {
  if (turnedOff) {
    return h("p.muted.country-filter", { "data-testid": "geo-off" },
      "Figures by country and region are turned off on this service.");
  }
  const select = h("select", { id: "country-filter", name: "country", onchange: () => onChoose(select.value) },
    h("option", { value: "" }, "All countries"),
    codes.map((code) => h("option", { value: code, selected: code === chosen }, countryLabel(code))));
  return h("div.country-filter", {},
    h("label", { for: "country-filter" }, "Audience in"), select,
    h("p.muted", { "data-testid": "country-note" }, codes.length
      ? "One country's figures carry more noise, and show only where its audience is large enough."
      : "No country's audience is large enough yet to be shown on its own."));
}

export function regionsChart(title, result, names) {
  return breakdown(title, result, (key) => regionLabel(key, names));
}

export function countryViewersChart(country, result) {
  const title = sliceTitle("Daily viewers", country);
  if (!result || result.suppressed || !result.days.length) {
    const minimum = document.body.dataset.minAudience || "100";
    return h("p.suppressed", { "data-testid": "suppressed" },
      `${title}: shown for ended periods with at least ${minimum} viewers from there.`);
  }
  return lineChart(`${title}, ${result.coveredFrom} to ${result.coveredTo}`,
    result.days.map((d) => ({ date: d.date, value: d.viewers })), { color: "#0891b2" });
}
