// One video with its like and save buttons. Saving is silent: only you see that you saved it.

import { mutate } from "../api.js";
import { guarded, h } from "../dom.js";

export const VIDEO_FIELDS = `id caption createdAt likeCount viewerHasLiked viewerHasSaved owner { username displayName }`;

const LIKE = `mutation($input: LikeVideoInput!) { likeVideo(input: $input) { video { likeCount viewerHasLiked } } }`;
const UNLIKE = `mutation($input: UnlikeVideoInput!) { unlikeVideo(input: $input) { video { likeCount viewerHasLiked } } }`;
const SAVE = `mutation($input: FavoriteVideoInput!) { favoriteVideo(input: $input) { favorite { video { viewerHasSaved } } } }`;
const UNSAVE = `mutation($input: UnfavoriteVideoInput!) { unfavoriteVideo(input: $input) { removed } }`;

export function videoCard(video) {
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
    h("div.thumb", {}, "▶"),
    h("div", {}, h("h3", {}, video.caption), h("p.muted", {}, `@${video.owner.username}`)),
    h("div.actions", {}, like, save));
}
