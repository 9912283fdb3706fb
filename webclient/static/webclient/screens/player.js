// What a card shows of a video's file: the player when the video has one (playbackUrl, a link
// for this viewer that works for 15 minutes), whose playbacks are recorded (playback.js), the old
// placeholder when it has none (a video posted without a file); and Download, a single-use link to
// the copy marked with the creator's @username.

import { mutate } from "../api.js";
import { guarded, h } from "../dom.js";
import { followPlayback } from "../playback.js";

export const MEDIA_FIELDS = "playbackUrl posterUrl allowDownload durationSeconds";

const DOWNLOAD = `mutation($input: DownloadVideoInput!) { downloadVideo(input: $input) { url } }`;
const EXPIRED = "This video cannot be played now: its link may have expired. Reload the page to play it.";

/** source: where the card was reached (a TrafficSource), told with each playback. */
export function videoPicture(video, source) {
  if (!video.playbackUrl) return h("div.thumb", { "aria-hidden": "true" }, "▶");
  const note = h("p.muted.player-note", { role: "status", hidden: true }, EXPIRED);
  // preload="metadata": a page of cards fetches each file's index, not its pictures, until played.
  const player = h("video.player", { src: video.playbackUrl, poster: video.posterUrl, controls: true,
    playsinline: true, preload: "metadata", "data-testid": "player",
    onerror: () => { note.hidden = false; } });
  followPlayback(player, video, source);
  return h("div.picture", {}, player, note);
}

/** "Download" for a video with a file whose creator allows it; null otherwise. While the marked
 * copy is being made the API answers UNAVAILABLE, whose message shows beside the button. */
export function downloadButton(video) {
  if (!video.playbackUrl || !video.allowDownload) return null;
  const note = h("span.muted.download-note", { role: "status" });
  const button = h("button.download", { type: "button", onclick: () => guarded(async () => {
    note.textContent = "";
    try {
      const data = await mutate(DOWNLOAD, { input: { videoId: video.id } });
      location.assign(data.downloadVideo.url); // a file (Content-Disposition: attachment): the page stays
    } catch (error) {
      const unavailable = (error.errors || []).find((e) => e.extensions && e.extensions.code === "UNAVAILABLE");
      if (!unavailable) throw error;
      note.textContent = unavailable.message;
    }
  }) }, "⤓ Download");
  return [button, note];
}
