// The feed: videos of the accounts you follow (the API has no global feed query), newest first,
// and a look-up of any creator's visible videos.

import { gql } from "../api.js";
import { edges, guarded, h, show, showErrors } from "../dom.js";
import { VIDEO_FIELDS, videoCard } from "./videocard.js";

const FEED = `query Feed { me { following(first: 20) { edges { node { username
  videos(first: 10) { edges { node { ${VIDEO_FIELDS} } } } } } } } }`;
const CREATOR = `query Creator($username: String!) { user(username: $username) { username
  videos(first: 20) { edges { node { ${VIDEO_FIELDS} } } } } }`;

function list(videos, empty) {
  if (!videos.length) return h("p.muted.empty", {}, empty);
  return h("div.grid", {}, videos.map(videoCard));
}

export async function renderFeed() {
  const { data, errors } = await gql(FEED);
  showErrors(errors);
  const videos = edges(data.me.following).flatMap((user) => edges(user.videos));
  videos.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const results = h("div#creator-results");
  const lookUp = h("form.inline", { id: "creator-form", onsubmit: (event) => {
    event.preventDefault();
    const username = new FormData(event.target).get("username").trim();
    guarded(async () => {
      const answer = await gql(CREATOR, { username });
      showErrors(answer.errors);
      const user = answer.data.user;
      results.replaceChildren(user
        ? list(edges(user.videos), `@${user.username} has no videos you can see.`)
        : h("p.muted", {}, `No account named ${username}.`));
    });
  } }, h("input", { name: "username", placeholder: "creator's username", required: true }),
  h("button", { type: "submit" }, "Look up"));
  show(
    h("h1", {}, "Feed"),
    list(videos, "Follow someone to fill your feed, or look a creator up below."),
    h("h2", {}, "Find a creator"), lookUp, results,
  );
}
