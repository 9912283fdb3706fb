// A hashtag's page (#/tag/<name>): the videos carrying it that the viewer may see, newest first.

import { gql, gqlWhole } from "../api.js";
import { h, show, showErrors } from "../dom.js";
import { pageOf, pagedList } from "../paging.js";
import { VIDEO_FIELDS, cardsFrom } from "./videocard.js";

const PAGE_SIZE = 12;
const HASHTAG = `query Hashtag($name: String!, $after: String) { hashtag(name: $name) { name
  videos(first: ${PAGE_SIZE}, after: $after) { ${pageOf(VIDEO_FIELDS)} } } }`;

export async function renderHashtag(name = "") {
  const { data, errors } = await gql(HASHTAG, { name, after: null });
  showErrors(errors);
  const tag = data.hashtag;
  const loadMore = async (after) => (await gqlWhole(HASHTAG, { name, after })).hashtag.videos;
  show(
    h("h1", { id: "tag-name" }, `#${tag ? tag.name : name.replace(/^#/, "")}`),
    tag
      ? pagedList(tag.videos, loadMore, cardsFrom("OTHER"),
        { id: "tag-videos", empty: "No videos you can see carry this tag." })
      : h("p.muted.empty", { id: "tag-videos-empty" }, "No videos you can see carry this tag."),
  );
}
