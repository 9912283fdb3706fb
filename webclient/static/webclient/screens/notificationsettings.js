// Which kinds of notification you receive: one switch per kind the API knows. A kind switched off
// is not recorded at all; saves, views, downloads and shares never notify anyone.

import { mutate } from "../api.js";
import { h } from "../dom.js";
import { settingsForm } from "./settingsform.js";

const KINDS = [
  ["likes", "Likes of your videos"],
  ["comments", "Comments on your videos, and replies to your comments"],
  ["follows", "New followers and follow requests"],
  ["mentions", "Mentions of you"],
  ["duets", "Duets of your videos"],
  ["stitches", "Stitches of your videos"],
];
export const NOTIFICATION_FIELDS = `notificationSettings { ${KINDS.map(([kind]) => kind).join(" ")} }`;
const UPDATE = `mutation($input: UpdateNotificationSettingsInput!) { updateNotificationSettings(input: $input) {
  ${NOTIFICATION_FIELDS} } }`;

export function notificationSection(me) {
  return settingsForm("notification-form", "Notifications",
    "Notify me of these. A kind switched off leaves no notification at all (a follow request still waits for you). " +
    "Saves, views, downloads and shares never notify anyone.",
    KINDS.map(([kind, label]) => h("label.check", {},
      h("input", { type: "checkbox", name: kind, checked: me.notificationSettings[kind] }), label)),
    (fields) => mutate(UPDATE, { input: Object.fromEntries(KINDS.map(([kind]) => [kind, fields[kind].checked])) }),
    "Save notification settings");
}
