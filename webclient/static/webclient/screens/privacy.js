// Privacy settings: private account, who sees your liked videos, and downloads of new videos.

import { gql, mutate } from "../api.js";
import { guarded, h, show, showErrors } from "../dom.js";

const SETTINGS = `{ isPrivate privacySettings { likedVideosVisibility defaultAllowDownload } }`;
const READ = `query { me ${SETTINGS} }`;
const UPDATE = `mutation($input: UpdatePrivacySettingsInput!) { updatePrivacySettings(input: $input) { me ${SETTINGS} } }`;

export async function renderPrivacy() {
  const { data, errors } = await gql(READ);
  showErrors(errors);
  const me = data.me;
  const status = h("span.muted", { id: "privacy-status" });
  const form = h("form.card", { id: "privacy-form", onsubmit: (event) => {
    event.preventDefault();
    guarded(async () => {
      const input = {
        isPrivate: form.elements.isPrivate.checked,
        likedVideosVisibility: form.elements.likedVideosVisibility.value,
        defaultAllowDownload: form.elements.defaultAllowDownload.checked,
      };
      await mutate(UPDATE, { input });
      status.textContent = "Saved.";
    });
  } },
  h("label.check", {}, h("input", { type: "checkbox", name: "isPrivate", checked: me.isPrivate }),
    "Private account: only approved followers see your videos"),
  h("label", {}, "Who can see the videos you liked", h("select", { name: "likedVideosVisibility" },
    h("option", { value: "ONLY_ME", selected: me.privacySettings.likedVideosVisibility === "ONLY_ME" }, "Only me"),
    h("option", { value: "EVERYONE", selected: me.privacySettings.likedVideosVisibility === "EVERYONE" }, "Everyone"))),
  h("label.check", {}, h("input", { type: "checkbox", name: "defaultAllowDownload",
    checked: me.privacySettings.defaultAllowDownload }), "Allow downloads of my new videos"),
  h("div.actions", {}, h("button", { type: "submit" }, "Save settings"), status));
  show(h("h1", {}, "Privacy"), h("p.muted", {}, "Your favorites are always private, whatever you choose here."), form);
}
