// Entry point: a hash router (#/feed, #/favorites, #/user/<name>, …) so the server serves one page only.

import { describe, gql, mutate } from "./api.js";
import { guarded, h, show } from "./dom.js";
import { screenHref } from "./links.js";
import { subscribe } from "./live.js";
import { renderAuth } from "./screens/auth.js";
import { renderFavorites } from "./screens/favorites.js";
import { renderFeed } from "./screens/feed.js";
import { renderHashtag } from "./screens/hashtag.js";
import { renderInsights } from "./screens/insights.js";
import { renderNotifications } from "./screens/notifications.js";
import { renderProfile } from "./screens/profile.js";
import { renderSearch, searchBox } from "./screens/search.js";
import { renderSettings } from "./screens/settings.js";
import { renderUpload } from "./screens/upload.js";

const WHO = `query { me { username accountType unreadNotificationCount } }`;
const LOG_OUT = `mutation { logOut(input: {}) { ok } }`;
// The unread count as it changes: first as it stands, then on each new notification or read.
const LIVE_UNREAD = `subscription LiveUnread { notifications { unreadNotificationCount } }`;

// A screen is given what follows its name in the hash: #/user/ana renders ROUTES.user("ana").
const ROUTES = {
  feed: renderFeed,
  upload: renderUpload,
  search: renderSearch,
  tag: renderHashtag,
  user: renderProfile,
  favorites: renderFavorites,
  notifications: () => renderNotifications(refreshNav),
  settings: renderSettings,
  insights: renderInsights,
};

function link(route, ...label) {
  const active = currentRoute() === route;
  return h("a", { href: `#/${route}`, "aria-current": active ? "page" : null, "data-route": route }, ...label);
}

function currentPath() {
  const path = location.hash.replace(/^#\//, "");
  return path.split("/")[0] in ROUTES ? path : "feed";
}

function currentRoute() {
  return currentPath().split("/")[0];
}

/** What follows the screen's name: a username, a tag, search words, a tab. */
function routeArgument() {
  const encoded = currentPath().split("/").slice(1).join("/");
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded; // a hand-typed "%" that encodes nothing
  }
}

async function refreshNav() {
  const { data } = await gql(WHO);
  const me = data.me;
  const nav = document.getElementById("nav");
  if (!me) {
    nav.replaceChildren();
    return null;
  }
  const logOut = h("button.secondary", { type: "button", id: "logout", onclick: () => guarded(async () => {
    await mutate(LOG_OUT);
    if (stopLive) stopLive();
    goTo("feed");
  }) }, "Log out");
  nav.replaceChildren(
    link("feed", "Feed"), link("upload", "Upload"), link("favorites", "Favorites"),
    link("notifications", "Notifications", h("span.badge", { id: "unread-count" })),
    link("settings", "Settings"), link("insights", "Insights"),
    searchBox(currentRoute() === "search" ? routeArgument() : ""),
    h("a.me", { id: "me", href: screenHref("user", me.username) }, `@${me.username}`), logOut);
  showUnread(me.unreadNotificationCount);
  startLive();
  return me;
}

// The badge on "Notifications", kept current by the live subscription without a reload.
function showUnread(count) {
  const badge = document.getElementById("unread-count");
  if (!badge) return;
  badge.textContent = count ? String(count) : "";
  badge.dataset.count = String(count);
  badge.hidden = !count;
}

let stopLive = null; // while signed in: ends the subscription

function startLive() {
  if (stopLive) return;
  const stop = subscribe(LIVE_UNREAD, {
    onData: (data) => showUnread(data.notifications.unreadNotificationCount),
    onErrors: (errors) => console.warn("live notifications:", errors.map(describe).join("; ")),
  });
  stopLive = () => { stop(); stopLive = null; };
}

// Setting a new hash fires "hashchange", which renders; rendering here as well would draw the
// screen twice, and a click on the first drawing would land on buttons about to be replaced.
function goTo(name) {
  if (currentRoute() === name && location.hash === `#/${name}`) route();
  else location.hash = `#/${name}`;
}

let renders = 0;

async function route() {
  const render = ++renders;
  delete document.body.dataset.ready;
  await guarded(async () => {
    const me = await refreshNav();
    if (!me) {
      renderAuth(() => goTo("feed"));
      return;
    }
    show(h("p.muted", {}, "Loading…"));
    await ROUTES[currentRoute()](routeArgument());
    // Lets tests and screenshots wait for a screen; only the newest render may say it is ready.
    if (render === renders) document.body.dataset.ready = currentPath();
  });
}

window.addEventListener("hashchange", route);
route();
