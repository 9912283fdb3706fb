// The accounts you blocked and muted, yours alone to see, each with Unblock or Unmute. A blocked
// account's profile answers as missing, so this list is where a block is undone.

import { gqlWhole, mutate } from "../api.js";
import { guarded, h } from "../dom.js";
import { pageOf, pagedList } from "../paging.js";
import { accountRow } from "./accountrow.js";

const PAGE_SIZE = 20;
const LISTS = {
  blockedUsers: {
    title: "Blocked accounts",
    intro: "You and they do not see each other anywhere. They are not told.",
    empty: "You have not blocked anyone.",
    undo: "Unblock",
    done: "unblocked",
    mutation: `mutation($input: UnblockUserInput!) { unblockUser(input: $input) { removed } }`,
    link: false, // their profile answers as missing while the block lasts
  },
  mutedUsers: {
    title: "Muted accounts",
    intro: "Their videos stay out of your feeds and search, and their notifications are hidden. They are not told.",
    empty: "You have not muted anyone.",
    undo: "Unmute",
    done: "unmuted",
    mutation: `mutation($input: UnmuteUserInput!) { unmuteUser(input: $input) { removed } }`,
    link: true,
  },
};
const selection = (name) => `${name}(first: ${PAGE_SIZE}, after: $after) { ${pageOf("username displayName")} }`;
export const BLOCKS_FIELDS = Object.keys(LISTS).map(selection).join(" ");
const more = (name) => `query More($after: String) { me { ${selection(name)} } }`;

function row(list, user) {
  const undo = h("button.secondary", { type: "button", onclick: (event) => guarded(async () => {
    await mutate(list.mutation, { input: { username: user.username } });
    event.target.closest("li").replaceChildren(h("span.muted", {}, `@${user.username} is ${list.done}.`));
  }) }, list.undo);
  return accountRow(user, { actions: [undo], link: list.link });
}

export function blocksSections(me) {
  return Object.entries(LISTS).map(([name, list]) => h("section.card", { id: name },
    h("h2", {}, list.title), h("p.muted", {}, list.intro),
    pagedList(me[name], async (after) => (await gqlWhole(more(name), { after })).me[name], (user) => row(list, user),
      { container: "ul.list.accounts", empty: list.empty, id: `${name}-list` })));
}
