// Notifications: likes, comments, replies, follows and mentions. Saves, views and downloads never notify.

import { gql, mutate } from "../api.js";
import { edges, guarded, h, show, showErrors } from "../dom.js";

const NOTIFICATIONS = `query { me { unreadNotificationCount notifications(first: 50) { edges { node {
  id kind isRead createdAt actor { username } video { caption } } } } } }`;
const MARK_READ = `mutation { markNotificationsRead(input: {}) { unreadNotificationCount } }`;

const VERBS = {
  LIKE: "liked your video", COMMENT: "commented on your video", REPLY: "replied to your comment", FOLLOW: "followed you",
  FOLLOW_REQUEST: "asked to follow you", MENTION: "mentioned you", DUET: "made a duet with your video",
  STITCH: "stitched your video",
};

export async function renderNotifications(refreshNav) {
  const { data, errors } = await gql(NOTIFICATIONS);
  showErrors(errors);
  const items = edges(data.me.notifications);
  const markRead = h("button.secondary", { type: "button", onclick: () => guarded(async () => {
    await mutate(MARK_READ);
    await renderNotifications(refreshNav);
    refreshNav();
  }) }, "Mark all as read");
  show(
    h("h1", {}, "Notifications"),
    h("p.muted", {}, `${data.me.unreadNotificationCount} unread. Saves never notify anyone.`, " ", markRead),
    items.length
      ? h("ul.list", { id: "notifications" }, items.map((n) => h("li.card", { class: n.isRead ? "card" : "card unread",
        "data-testid": "notification", "data-kind": n.kind },
      h("strong", {}, `@${n.actor.username}`), ` ${VERBS[n.kind] || n.kind}`,
      n.video ? h("span.muted", {}, ` “${n.video.caption}”`) : null,
      h("time.muted", {}, ` · ${new Date(n.createdAt).toLocaleString()}`))))
      : h("p.muted.empty", { id: "notifications-empty" }, "No notifications."),
  );
}
