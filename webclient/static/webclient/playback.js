// One playback of a card's video, recorded with recordView when the viewer leaves it: another
// video starts, the screen changes or the page is hidden. It says how many seconds were played,
// the furthest second reached, whether the video was started again from the start, the kind of
// device (from the viewport and the pointer alone, never the user agent) and where the card was.

import { mutate } from "./api.js";

const RECORD_VIEW = `mutation($input: RecordViewInput!) { recordView(input: $input) { video { id } } }`;
const START = 1; // seconds: back before this, the video is starting again
const JUMP = 2; // seconds: a step of currentTime longer than this was a seek, not play
const MAX_WATCHED_SECONDS = 6 * 60 * 60; // what the server accepts

/** PHONE, TABLET or DESKTOP, coarsely: a touch screen (coarse pointer) is a phone when its shorter
 * side is narrow, a tablet otherwise; anything with a fine pointer a desktop. */
export function deviceType() {
  if (!matchMedia("(pointer: coarse)").matches) return "DESKTOP";
  return Math.min(innerWidth, innerHeight) < 600 ? "PHONE" : "TABLET";
}

let current = null; // the playback the viewer is watching, recorded when they leave it

/** Record the playback being watched, if any: the viewer left it. */
export function leavePlayback() {
  if (current) current.record();
  current = null;
}

window.addEventListener("hashchange", leavePlayback);
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "hidden") leavePlayback();
});

/** Follow the plays of ``player`` (a <video>) of ``video`` (durationSeconds, id), reached from
 * ``source`` (a TrafficSource). */
export function followPlayback(player, video, source) {
  let played = 0;
  let furthest = 0;
  let replayed = false;
  let last = null; // currentTime at the last update while playing
  const playback = {
    record() {
      if (last === null) return; // never played since the last record
      const input = {
        videoId: video.id,
        trafficSource: source,
        watchedSeconds: Math.min(Math.round(played), MAX_WATCHED_SECONDS),
        watchPosition: Math.min(Math.floor(furthest), video.durationSeconds),
        replayed,
        device: deviceType(),
      };
      played = 0;
      furthest = 0;
      replayed = false;
      last = null;
      // Counting a view is the server's business, not the viewer's: a failure shows nowhere.
      mutate(RECORD_VIEW, { input }, { keepalive: true }).catch(() => {});
    },
  };
  player.addEventListener("playing", () => {
    if (current !== playback) leavePlayback();
    current = playback;
    if (last !== null && player.currentTime < START && furthest >= START) replayed = true;
    last = player.currentTime;
  });
  player.addEventListener("seeked", () => {
    if (last === null) return;
    if (player.currentTime < START && furthest >= START) replayed = true;
    last = player.currentTime;
  });
  player.addEventListener("timeupdate", () => {
    if (last === null || player.seeking || player.paused) return;
    const now = player.currentTime;
    if (now > last && now - last < JUMP) played += now - last;
    furthest = Math.max(furthest, now);
    last = now;
  });
  // The end may lie a fraction of a second from durationSeconds: reaching it reaches the end.
  player.addEventListener("ended", () => {
    if (last !== null) furthest = video.durationSeconds;
  });
}
