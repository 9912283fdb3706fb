// One video with its like and save buttons. Saving is silent: only you see that you saved it.
// Its hashtags link to their pages, its creator to their profile, a duet or stitch to its source's creator.
// A video with a file plays in the card (player.js), and can be downloaded where its creator allows.
// A list draws its cards with cardsFrom(source): where the viewer found them, told with each view.

import { mutate } from "../api.js";
import { guarded, h } from "../dom.js";
import { captionNodes, userLink } from "../links.js";
import { MEDIA_FIELDS, downloadButton, videoPicture } from "./player.js";

export const VIDEO_FIELDS = `id caption createdAt likeCount viewerHasLiked viewerHasSaved owner { username displayName }
  remixKind remixOf { owner { username } } ${MEDIA_FIELDS}`;

const REMIX_KINDS = { DUET: "Duet", STITCH: "Stitch" };

const LIKE = `mutation($input: LikeVideoInput!) { likeVideo(input: $input) { video { likeCount viewerHasLiked } } }`;
const UNLIKE = `mutation($input: UnlikeVideoInput!) { unlikeVideo(input: $input) { video { likeCount viewerHasLiked } } }`;
const SAVE = `mutation($input: FavoriteVideoInput!) { favoriteVideo(input: $input) { favorite { video { viewerHasSaved } } } }`;
const UNSAVE = `mutation($input: UnfavoriteVideoInput!) { unfavoriteVideo(input: $input) { removed } }`;

/** The card renderer of a list whose videos were reached from ``source`` (a TrafficSource). */
export const cardsFrom = (source) => (video) => videoCard(video, source);

function videoCard(video, source) {
  const like = h("button.like", { type: "button" });
  const save = h("button.save", { type: "button" });
  const paint = () => {
    like.textContent = `${video.viewerHasLiked ? "♥ Liked" : "♡ Like"} · ${video.likeCount}`;
    like.setAttribute("aria-pressed", String(Boolean(video.viewerHasLiked)));
    save.textContent = video.viewerHasSaved ? "★ Saved" : "☆ Save";
    save.setAttribute("aria-pressed", String(Boolean(video.viewerHasSaved)));
  };
  like.addEventListener("click", () => guarded(async () => {
    const data = await mutate(video.viewerHasLiked ? UNLIKE : LIKE, { input: { videoId: video.id } });
    Object.assign(video, (data.likeVideo || data.unlikeVideo).video);
    paint();
  }));
  save.addEventListener("click", () => guarded(async () => {
    if (video.viewerHasSaved) {
      await mutate(UNSAVE, { input: { videoId: video.id } });
      video.viewerHasSaved = false;
    } else {
      const data = await mutate(SAVE, { input: { videoId: video.id } });
      video.viewerHasSaved = data.favoriteVideo.favorite.video.viewerHasSaved;
    }
    paint();
  }));
  paint();
  return h("article.card.video", { "data-testid": "video-card", "data-caption": video.caption },
    videoPicture(video, source),
    h("div", {}, h("h3", {}, captionNodes(video.caption)),
      h("p.muted", {}, userLink(video.owner.username), remixLine(video))),
    h("div.actions", {}, like, save, downloadButton(video)));
}

/** " · Duet of @x"; a source the viewer may not see (or that was deleted) is not named. */
function remixLine(video) {
  const kind = REMIX_KINDS[video.remixKind];
  if (!kind) return null;
  const source = video.remixOf;
  return h("span.remix", {}, " · ", kind, source ? [" of ", userLink(source.owner.username)] : null);
}
