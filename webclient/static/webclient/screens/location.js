// Where you are (Me.country, Me.region): a country code and, within it, a region picked from the
// country's ISO 3166-2 subdivisions (Query.subdivisions). Insights count people by region only
// within a country, by top-level subdivision. Changing the country empties the region, as the
// server does with a region outside the new country.

import { GraphQLError, gql, mutate } from "../api.js";
import { h } from "../dom.js";
import { countryName } from "../places.js";
import { settingsForm } from "./settingsform.js";

export const LOCATION_FIELDS = "country region";
const UPDATE = `mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { me { ${LOCATION_FIELDS} } } }`;
const SUBDIVISIONS = `query Subdivisions($country: String!) { subdivisions(country: $country) { code name kind parent } }`;

/** The region list of a country: top-level subdivisions first, each level in a group of its own. */
function regionOptions(subdivisions, current) {
  const groups = new Map();
  for (const s of [...subdivisions].sort((a, b) => Number(a.parent !== null) - Number(b.parent !== null)
    || a.name.localeCompare(b.name))) {
    if (!groups.has(s.kind)) groups.set(s.kind, []);
    groups.get(s.kind).push(h("option", { value: s.code, selected: s.code === current }, s.name));
  }
  return [h("option", { value: "" }, "No region"),
    ...[...groups].map(([kind, options]) => h("optgroup", { label: kind }, options))];
}

/** A field's refusal, shown under it: the server's message, which names the field and an example. */
function fieldError(name) {
  return h("p.field-error", { id: `location-${name}-error`, "data-testid": "field-error", role: "alert", hidden: true });
}

function say(error, message) {
  error.textContent = message || "";
  error.hidden = !message;
}

export function locationSection(me) {
  const errors = { country: fieldError("country"), region: fieldError("region") };
  const country = h("input", { name: "country", value: me.country || "", maxlength: 2, autocomplete: "off",
    spellcheck: "false", "aria-describedby": "location-country-error" });
  const named = h("span.muted", { id: "country-name" }, countryName(me.country));
  const region = h("select", { name: "region", "aria-describedby": "location-region-error" });

  // The list of the country typed; its refusal (not an ISO code) goes under the country field.
  // The old country's list goes at once, so a save in the meantime sends no region from it, and
  // only the latest country's answer is used, whatever order the answers come back in.
  let latest = 0;
  async function loadRegions(code, current) {
    const asked = ++latest;
    say(errors.country, "");
    named.textContent = countryName(code);
    region.replaceChildren(h("option", { value: "" }, code ? "Loading regions\u2026" : "Declare a country first"));
    region.disabled = true;
    if (!code) return;
    const { data, errors: refused } = await gql(SUBDIVISIONS, { country: code }).catch((error) => ({
      data: null, errors: error.errors || [{ message: String(error.message) }] }));
    if (asked !== latest) return;
    if (!data || refused.length) {
      say(errors.country, refused.map((e) => e.message).join(" "));
      return;
    }
    region.replaceChildren(...regionOptions(data.subdivisions, current));
    region.disabled = false;
  }

  country.addEventListener("change", () => {
    country.value = country.value.trim().toUpperCase();
    loadRegions(country.value, "");
  });
  loadRegions(me.country || "", me.region || "");

  // Refusals of a field are shown under it, without the code; anything else goes to the banner.
  async function save() {
    say(errors.country, "");
    say(errors.region, "");
    try {
      await mutate(UPDATE, { input: { country: country.value.trim().toUpperCase(), region: region.value } });
    } catch (error) {
      const own = (error.errors || []).filter((e) => e.extensions && e.extensions.field in errors);
      if (!(error instanceof GraphQLError) || own.length !== error.errors.length) throw error;
      for (const e of own) say(errors[e.extensions.field], e.message);
      return false;
    }
    return true;
  }

  return settingsForm("location-form", "Location",
    "Optional. Insights count people by country, and within a country by region, never one by one.", [
      h("label", {}, "Country (ISO code, such as FR) ", named, country), errors.country,
      h("label", {}, "Region", region), errors.region,
    ], save, "Save location");
}
