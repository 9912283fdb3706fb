// Settings: privacy, notifications, the account type, the time zone, your location, and whom you
// blocked or muted, read in one query; each form saves on its own.

import { gql } from "../api.js";
import { h, show, showErrors } from "../dom.js";
import { ACCOUNT_TYPE_FIELDS, accountTypeSection } from "./accounttype.js";
import { BLOCKS_FIELDS, blocksSections } from "./blocks.js";
import { LOCATION_FIELDS, locationSection } from "./location.js";
import { NOTIFICATION_FIELDS, notificationSection } from "./notificationsettings.js";
import { PRIVACY_FIELDS, privacySection } from "./privacy.js";
import { TIME_ZONE_FIELDS, timeZoneSection } from "./timezone.js";

const READ = `query Settings($after: String) { me { ${PRIVACY_FIELDS} ${NOTIFICATION_FIELDS} ${ACCOUNT_TYPE_FIELDS}
  ${TIME_ZONE_FIELDS} ${LOCATION_FIELDS} ${BLOCKS_FIELDS} } }`;

export async function renderSettings() {
  const { data, errors } = await gql(READ, { after: null });
  showErrors(errors);
  const me = data.me;
  show(h("h1", {}, "Settings"), h("div.settings", {},
    privacySection(me), notificationSection(me), accountTypeSection(me), timeZoneSection(me), locationSection(me),
    blocksSections(me)));
}
