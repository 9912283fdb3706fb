// The time zone Insights show your followers' active weekdays and hours in (Me.timeZone): an
// IANA name, with this browser's names to pick from and its own zone named.

import { mutate } from "../api.js";
import { h } from "../dom.js";
import { settingsForm } from "./settingsform.js";

export const TIME_ZONE_FIELDS = "timeZone";
const UPDATE = `mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { me { ${TIME_ZONE_FIELDS} } } }`;

function browserZones() {
  return typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
}

export function timeZoneSection(me) {
  const here = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return settingsForm("time-zone-form", "Time zone",
    `Insights show when your followers are active in this time zone. This browser is in ${here}.`, [
      h("label", {}, "Time zone (such as Europe/Paris)", h("input", {
        name: "timeZone", value: me.timeZone, list: "time-zone-names", required: true, autocomplete: "off",
        spellcheck: "false",
      })),
      h("datalist", { id: "time-zone-names" }, browserZones().map((name) => h("option", { value: name }))),
    ], (fields) => mutate(UPDATE, { input: { timeZone: fields.timeZone.value } }), "Save time zone");
}
