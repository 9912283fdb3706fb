// Posting a video with its file (#/upload): the form (file, caption, who sees it, downloads), the
// upload's progress and processing (uploadpanel.js), and the uploader's own videos with their
// state, drafts included: a draft whose link expired or whose file failed takes a file again.

import { gql, gqlWhole } from "../api.js";
import { guarded, h, show, showErrors } from "../dom.js";
import { captionNodes } from "../links.js";
import { pageOf, pagedList } from "../paging.js";
import { restartUpload, startUpload } from "../uploads.js";
import { STATE_LABELS, uploadPanel } from "./uploadpanel.js";

const PAGE_SIZE = 10;
const OWN_FIELDS = "id caption visibility processingState processingError";
const OWN_VIDEOS = `videos(first: ${PAGE_SIZE}, after: $after) { ${pageOf(OWN_FIELDS)} }`;
const READ = `query Upload($after: String) { me { privacySettings { defaultAllowDownload } ${OWN_VIDEOS} } }`;
const OWN = `query OwnVideos($after: String) { me { ${OWN_VIDEOS} } }`;

const VISIBILITIES = { PUBLIC: "Everyone", FRIENDS: "Friends (mutual followers)", PRIVATE: "Only me" };
const TAKES_A_FILE = new Set(["AWAITING_UPLOAD", "FAILED"]);

function field(label, control) {
  return h("label", {}, label, control);
}

function uploadForm(me, onState) {
  const file = h("input", { type: "file", name: "file", accept: "video/*", required: true });
  const panel = uploadPanel(() => file.files[0], onState);
  const submit = h("button", { type: "submit" }, "Upload");
  const form = h("form.card", { id: "upload-form", onsubmit: async (event) => {
    event.preventDefault();
    const values = new FormData(form);
    const chosen = file.files[0];
    const input = {
      caption: values.get("caption"), visibility: values.get("visibility"), allowDownload: values.has("allowDownload"),
      contentType: chosen ? chosen.type : "", sizeBytes: chosen ? chosen.size : 0,
    };
    submit.disabled = true;
    try {
      await panel.send(() => startUpload(input), null);
    } finally {
      submit.disabled = false;
    }
  } },
  h("h2", {}, "New video"),
  field("Video file", file),
  field("Caption", h("textarea", { name: "caption", rows: 2, maxlength: 2200, placeholder: "What is it? #hashtags link" })),
  field("Who can see it", h("select", { name: "visibility" },
    Object.entries(VISIBILITIES).map(([value, label]) => h("option", { value }, label)))),
  h("label.check", {}, h("input", { type: "checkbox", name: "allowDownload",
    checked: me.privacySettings.defaultAllowDownload }), "Allow downloads (marked with your @username)"),
  h("div.submit", {}, submit),
  panel.element);
  panel.element.id = "upload-panel";
  return form;
}

function ownVideo(video) {
  const badge = h("span.state-badge", { "data-testid": "own-state" });
  const input = h("input", { type: "file", accept: "video/*", hidden: true, "aria-label": "Video file" });
  const again = h("button.secondary", { type: "button", onclick: () => input.click() }, "Upload its file…");
  const error = h("p.error-text", { "data-testid": "own-error" });
  // Each state the draft is seen in; the reason of a failure shows here until an upload's own
  // panel (which says it itself) opens.
  const paint = (seen) => {
    badge.textContent = STATE_LABELS[seen.processingState];
    badge.dataset.state = seen.processingState;
    again.hidden = !TAKES_A_FILE.has(seen.processingState);
    error.textContent = seen.processingError || "";
    error.hidden = !seen.processingError || !panel.element.hidden;
  };
  const panel = uploadPanel(() => input.files[0], paint);
  input.addEventListener("change", async () => {
    again.disabled = true;
    try {
      await panel.send(() => restartUpload(video.id), video.id);
    } finally {
      again.disabled = false;
    }
  });
  paint(video);
  return h("li.card.own-video", { "data-testid": "own-video", "data-caption": video.caption },
    h("div.own-line", {},
      h("span", {}, captionNodes(video.caption || "(no caption)"), h("span.muted", {}, ` · ${VISIBILITIES[video.visibility]}`)),
      badge, again),
    error, input, panel.element);
}

function ownList(connection) {
  const loadMore = async (after) => (await gqlWhole(OWN, { after })).me.videos;
  return pagedList(connection, loadMore, ownVideo,
    { container: "ul.list", id: "own-videos", empty: "You have not posted a video yet." });
}

export async function renderUpload() {
  const { data, errors } = await gql(READ, { after: null });
  showErrors(errors);
  const own = h("section.own", {}, h("h2", {}, "Your videos"),
    h("p.muted", {}, "Drafts are yours alone until they are Ready; then they show to whom you chose."),
    ownList(data.me.videos));
  // The list follows the new draft's state as the form's panel learns it, one reload at a time
  // so that an older answer never replaces a newer one.
  let lastState = null;
  let reloads = Promise.resolve();
  const follow = (video) => {
    if (video.processingState === lastState) return;
    lastState = video.processingState;
    reloads = reloads.then(() => guarded(async () => {
      own.lastChild.replaceWith(ownList((await gqlWhole(OWN, { after: null })).me.videos));
    }));
  };
  show(h("h1", {}, "Upload"), h("div.upload-layout", {}, uploadForm(data.me, follow), own));
}
