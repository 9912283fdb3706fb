// Names of places for people: a country's from the browser (FR is "France"), a region's from the
// server's ISO 3166-2 list (Query.subdivisions), whose code a breakdown writes with "_" (FR_IDF).

const countryNames = new Intl.DisplayNames(["en"], { type: "region", fallback: "none" });

/** "France" for FR; empty for a code the browser does not name. */
export function countryName(code) {
  try {
    return (code && countryNames.of(code)) || "";
  } catch {
    return ""; // not a two-letter code (yet)
  }
}

/** "France (FR)", or the code alone when the browser has no name for it. */
export function countryLabel(code) {
  const name = countryName(code);
  return name ? `${name} (${code})` : code;
}

/** A RegionKey's label: FR_IDF is the subdivision FR-IDF, named from `names` (code to name). */
export function regionLabel(key, names) {
  if (key === "OTHER") return "Other regions";
  if (key === "UNKNOWN") return "Not declared";
  const code = key.replace("_", "-");
  return names.get(code) || code;
}
