// The account type, which decides how deep Insights go (README, "Creator analytics"). Switching
// deletes nothing: what Insights show narrows or widens at once.

import { mutate } from "../api.js";
import { h } from "../dom.js";
import { settingsForm } from "./settingsform.js";

const TYPES = [
  ["PERSONAL", "Personal", "Totals for each of your videos (views, likes, saves) and for your account: followers, " +
    "profile views, top videos."],
  ["CREATOR", "Creator", "Also daily charts and audience breakdowns (traffic sources, countries) over the last 30 days."],
  ["BUSINESS", "Business", "Also save analytics: saves per day and your most-saved videos."],
];
export const ACCOUNT_TYPE_FIELDS = "accountType";
const SWITCH = `mutation($input: SwitchAccountTypeInput!) { switchAccountType(input: $input) { me { accountType } } }`;

export function accountTypeSection(me) {
  return settingsForm("account-type-form", "Account type",
    "What Insights show you. Switching deletes nothing, and you can switch back at any time.",
    TYPES.map(([type, name, gets]) => h("label.check.choice", {},
      h("input", { type: "radio", name: "accountType", value: type, checked: me.accountType === type }),
      h("span", {}, h("strong", {}, name), h("span.muted", {}, ` ${gets}`)))),
    (fields) => mutate(SWITCH, { input: { accountType: fields.accountType.value } }), "Switch account type");
}
