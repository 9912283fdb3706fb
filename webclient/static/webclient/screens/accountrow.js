// One account in a list (search results, blocked and muted accounts): its name, a link to its
// profile unless told otherwise, and the buttons the list offers.

import { h } from "../dom.js";
import { userLink } from "../links.js";

export function followers(count) {
  return count === 1 ? "1 follower" : `${count} followers`;
}

export function accountRow(user, { actions = [], link = true } = {}) {
  const name = link ? userLink(user.username) : h("strong", {}, `@${user.username}`);
  return h("li.card.account", { "data-testid": "account", "data-username": user.username },
    h("div", {}, name, user.displayName ? h("span.muted", {}, ` ${user.displayName}`) : null,
      user.followerCount === undefined ? null : h("span.muted", {}, ` · ${followers(user.followerCount)}`)),
    actions.length ? h("div.actions", {}, actions) : null);
}
