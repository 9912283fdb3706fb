// Search (#/search/<words>): accounts by name, hashtags by prefix, videos by caption, each section
// paged on its own as the API pages them. The server checks the words (1 to 100 characters) and
// its BAD_USER_INPUT message is what the page shows, so the rule lives in one place.

import { gql, gqlWhole } from "../api.js";
import { h, show, showErrors } from "../dom.js";
import { screenHref, tagLink } from "../links.js";
import { pageOf, pagedList } from "../paging.js";
import { accountRow } from "./accountrow.js";
import { VIDEO_FIELDS, cardsFrom } from "./videocard.js";

const SECTIONS = {
  users: {
    title: "Accounts", fields: "username displayName followerCount", render: (user) => accountRow(user), first: 6,
    container: "ul.list.account-grid", more: "More accounts", empty: "No accounts match.",
  },
  hashtags: {
    title: "Hashtags", fields: "name", render: (tag) => tagLink(tag.name), first: 12,
    container: "div.chips.tags",
    more: "More hashtags", empty: "No hashtags start with this.",
  },
  videos: {
    title: "Videos", fields: VIDEO_FIELDS, render: cardsFrom("SEARCH"), first: 8, container: "div.grid",
    more: "More videos", empty: "No video captions match.",
  },
};

const section = (name) => `${name}(first: ${SECTIONS[name].first}, after: $after) { ${pageOf(SECTIONS[name].fields)} }`;
const SEARCH = `query Search($query: String!, $after: String) { search(query: $query) { query
  ${Object.keys(SECTIONS).map(section).join("\n  ")} } }`;
const more = (name) => `query SearchMore($query: String!, $after: String) { search(query: $query) { ${section(name)} } }`;

/** The search box of the nav; submitting opens the results screen, which runs the search. */
export function searchBox(current = "") {
  const input = h("input", { type: "search", name: "query", value: current, placeholder: "Videos, people, #tags",
    "aria-label": "Search" });
  return h("form.search", { id: "search-form", role: "search", onsubmit: (event) => {
    event.preventDefault();
    location.hash = screenHref("search", input.value);
  } }, input, h("button", { type: "submit" }, "Search"));
}

export async function renderSearch(query = "") {
  const { data, errors } = await gql(SEARCH, { query, after: null });
  showErrors(errors);
  const results = data.search;
  if (!results) {
    show(h("h1", {}, "Search"), h("p.muted.empty", { id: "search-empty" }, "Nothing was searched: the message above says why."));
    return;
  }
  show(
    h("h1", {}, "Search"),
    h("p.muted", {}, `Results for “${results.query}”, among what you may see.`),
    Object.entries(SECTIONS).map(([name, s]) => h("section.results", { id: `search-${name}` },
      h("h2", {}, s.title),
      pagedList(results[name], async (after) => (await gqlWhole(more(name), { query, after })).search[name], s.render,
        { container: s.container, empty: s.empty, more: s.more }))),
  );
}
