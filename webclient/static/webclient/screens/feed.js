// The home screen: two tabs. For You (#/feed) is the API's ranked feed of everything the viewer
// may see; Following (#/feed/following) is the videos of the accounts they follow, newest first.
// Both leave out the viewer's own videos and the accounts they muted, and page by cursor.

import { gql, gqlWhole } from "../api.js";
import { h, show, showErrors } from "../dom.js";
import { pageOf, pagedList } from "../paging.js";
import { VIDEO_FIELDS, cardsFrom } from "./videocard.js";

const PAGE_SIZE = 12;
const FOR_YOU = `query ForYou($after: String) { forYou(first: ${PAGE_SIZE}, after: $after) { ${pageOf(VIDEO_FIELDS)} } }`;
const FOLLOWING = `query Following($after: String) { me { followingFeed(first: ${PAGE_SIZE}, after: $after) {
  ${pageOf(VIDEO_FIELDS)} } } }`;

const TABS = {
  "": {
    label: "For You",
    source: "FOR_YOU",
    query: FOR_YOU,
    connection: (data) => data.forYou,
    empty: "Nothing to show yet: no one has posted a video you can see.",
  },
  following: {
    label: "Following",
    source: "FOLLOWING",
    query: FOLLOWING,
    connection: (data) => data.me.followingFeed,
    empty: "Videos of the accounts you follow show here, newest first. Search for people to follow.",
  },
};

function tabs(current) {
  return h("nav.tabs", { "aria-label": "Feeds" }, Object.entries(TABS).map(([name, tab]) => h("a",
    { href: name ? `#/feed/${name}` : "#/feed", "aria-current": name === current ? "page" : null, "data-tab": name || "for-you" },
    tab.label)));
}

/** argument: the tab's name after "#/feed/"; anything unknown is For You. */
export async function renderFeed(argument = "") {
  const name = argument in TABS ? argument : "";
  const tab = TABS[name];
  const { data, errors } = await gql(tab.query, { after: null });
  showErrors(errors);
  const loadMore = async (after) => tab.connection(await gqlWhole(tab.query, { after }));
  show(
    h("h1.sr-only", {}, tab.label),
    tabs(name),
    pagedList(tab.connection(data), loadMore, cardsFrom(tab.source), { id: "feed", empty: tab.empty }),
  );
}
