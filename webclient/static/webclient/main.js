// Entry point: a hash router (#/feed, #/favorites, …) so the server serves one page only.

import { gql, mutate } from "./api.js";
import { guarded, h, show } from "./dom.js";
import { renderAuth } from "./screens/auth.js";
import { renderFavorites } from "./screens/favorites.js";
import { renderFeed } from "./screens/feed.js";
import { renderInsights } from "./screens/insights.js";
import { renderNotifications } from "./screens/notifications.js";
import { renderPrivacy } from "./screens/privacy.js";

const WHO = `query { me { username accountType unreadNotificationCount } }`;
const LOG_OUT = `mutation { logOut(input: {}) { ok } }`;

const ROUTES = {
  feed: renderFeed,
  favorites: renderFavorites,
  notifications: () => renderNotifications(refreshNav),
  privacy: renderPrivacy,
  insights: renderInsights,
};

function link(route, label) {
  const active = currentRoute() === route;
  return h("a", { href: `#/${route}`, "aria-current": active ? "page" : null, "data-route": route }, label);
}

function currentRoute() {
  const route = location.hash.replace(/^#\//, "");
  return route in ROUTES ? route : "feed";
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
    link("privacy", "Privacy"), link("insights", "Insights"),
    h("span.me", { id: "me" }, `@${me.username}`), logOut);
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
    await ROUTES[currentRoute()]();
    // Lets tests and screenshots wait for a screen; only the newest render may say it is ready.
    if (render === renders) document.body.dataset.ready = currentRoute();
  });
}

window.addEventListener("hashchange", route);
route();
