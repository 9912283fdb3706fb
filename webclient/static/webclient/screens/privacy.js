// Privacy settings: private account, who sees your liked videos, and downloads of new videos.

import { mutate } from "../api.js";
import { h } from "../dom.js";
import { settingsForm } from "./settingsform.js";

export const PRIVACY_FIELDS = `isPrivate privacySettings { likedVideosVisibility defaultAllowDownload }`;
const UPDATE = `mutation($input: UpdatePrivacySettingsInput!) { updatePrivacySettings(input: $input) { me { ${PRIVACY_FIELDS} } } }`;

export function privacySection(me) {
  const liked = me.privacySettings.likedVideosVisibility;
  return settingsForm("privacy-form", "Privacy", "Your favorites are always private, whatever you choose here.", [
    h("label.check", {}, h("input", { type: "checkbox", name: "isPrivate", checked: me.isPrivate }),
      "Private account: only approved followers see your videos"),
    h("label", {}, "Who can see the videos you liked", h("select", { name: "likedVideosVisibility" },
      h("option", { value: "ONLY_ME", selected: liked === "ONLY_ME" }, "Only me"),
      h("option", { value: "EVERYONE", selected: liked === "EVERYONE" }, "Everyone"))),
    h("label.check", {}, h("input", { type: "checkbox", name: "defaultAllowDownload",
      checked: me.privacySettings.defaultAllowDownload }), "Allow downloads of my new videos"),
  ], (fields) => mutate(UPDATE, { input: {
    isPrivate: fields.isPrivate.checked,
    likedVideosVisibility: fields.likedVideosVisibility.value,
    defaultAllowDownload: fields.defaultAllowDownload.checked,
  } }), "Save privacy settings");
}
