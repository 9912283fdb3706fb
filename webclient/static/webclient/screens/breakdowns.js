// A breakdown as the insights page draws it: bars of noisy counts, or in words why there are none
// (too small an audience, or no ended period yet), and the labels of each breakdown's keys.

import { barChart } from "../charts.js";
import { h } from "../dom.js";

export const SOURCES = {
  FOR_YOU: "For You", FOLLOWING: "Following", PROFILE: "Profile", SEARCH: "Search", SOUND: "Sound",
  DIRECT_MESSAGE: "Direct message", OTHER: "Other", UNKNOWN: "Unknown",
};
export const DEVICES = { PHONE: "Phone", TABLET: "Tablet", DESKTOP: "Computer", SMART_TV: "TV", UNKNOWN: "Not reported",
  OTHER: "Other" };
export const CHANNELS = { COPY_LINK: "Copied link", DIRECT_MESSAGE: "Direct message", WHATSAPP: "WhatsApp", SMS: "SMS",
  EMAIL: "Email", OTHER: "Other" };
export const GENDERS = { FEMALE: "Women", MALE: "Men", NON_BINARY: "Non-binary", UNDISCLOSED: "Prefer not to say",
  UNKNOWN: "Not declared", OTHER: "Other" };
export const VIEWER_TYPES = { NEW: "New viewers", RETURNING: "Returning viewers", FOLLOWER: "Followers",
  NON_FOLLOWER: "Not following", OTHER: "Other", UNKNOWN: "Unknown" };

/** AGE_18_24 is "18–24", AGE_55_PLUS "55+". */
export function ageLabel(key) {
  const match = /^AGE_(\d+)_(\d+|PLUS)$/.exec(key);
  if (!match) return key === "UNKNOWN" ? "Not declared" : key === "OTHER" ? "Other" : key;
  return match[2] === "PLUS" ? `${match[1]}+` : `${match[1]}\u2013${match[2]}`;
}

/** HOUR_07 is "07:00 UTC". */
export function hourLabel(key) {
  const match = /^HOUR_(\d\d)$/.exec(key);
  return match ? `${match[1]}:00 UTC` : key === "OTHER" ? "Other" : key;
}

export function breakdown(title, result, labelOf) {
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
