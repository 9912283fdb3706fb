// Entry point: a hash router (#/feed, #/favorites, #/user/<name>, …) so the server serves one page only.

import { gql, mutate } from "./api.js";
import { guarded, h, show } from "./dom.js";
import { screenHref } from "./links.js";
import { renderAuth } from "./screens/auth.js";
import { renderFavorites } from "./screens/favorites.js";
import { renderFeed } from "./screens/feed.js";
import { renderHashtag } from "./screens/hashtag.js";
import { renderInsights } from "./screens/insights.js";
import { renderNotifications } from "./screens/notifications.js";
import { renderProfile } from "./screens/profile.js";
import { renderSearch, searchBox } from "./screens/search.js";
import { renderSettings } from "./screens/settings.js";

const WHO = `query { me { username accountType unreadNotificationCount } }`;
const LOG_OUT = `mutation { logOut(input: {}) { ok } }`;

// A screen is given what follows its name in the hash: #/user/ana renders ROUTES.user("ana").
const ROUTES = {
  feed: renderFeed,
  search: renderSearch,
  tag: renderHashtag,
  user: renderProfile,
  favorites: renderFavorites,
  notifications: () => renderNotifications(refreshNav),
  settings: renderSettings,
  insights: renderInsights,
};

function link(route, label) {
  const active = currentRoute() === route;
  return h("a", { href: `#/${route}`, "aria-current": active ? "page" : null, "data-route": route }, label);
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
  const unread = me.unreadNotificationCount;
  const logOut = h("button.secondary", { type: "button", id: "logout", onclick: () => guarded(async () => {
    await mutate(LOG_OUT);
    goTo("feed");
  }) }, "Log out");
  nav.replaceChildren(
    link("feed", "Feed"), link("favorites", "Favorites"),
    link("notifications", unread ? `Notifications (${unread})` : "Notifications"),
    link("settings", "Settings"), link("insights", "Insights"),
    searchBox(currentRoute() === "search" ? routeArgument() : ""),
    h("a.me", { id: "me", href: screenHref("user", me.username) }, `@${me.username}`), logOut);
  return me;
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
