// Lists that grow a page at a time, as the API pages them: by cursor, never by offset.

import { edges, guarded, h } from "./dom.js";

/** The selection of one page of a connection: its nodes' fields and where the next page starts. */
export function pageOf(fields) {
  return `pageInfo { hasNextPage endCursor } edges { node { ${fields} } }`;
}

/**
 * A connection's first page drawn with renderItem, and a "more" button that asks loadMore(after)
 * for the page after pageInfo.endCursor, appends it, and goes away after the last page. An empty
 * (or missing) first page draws the `empty` sentence instead.
 */
export function pagedList(connection, loadMore, renderItem, { container = "div.grid", empty, more = "Load more", id }) {
  const nodes = edges(connection);
  if (!nodes.length) return h("p.muted.empty", { id: id && `${id}-empty` }, empty);
  const items = h(container, { id });
  const button = h("button.secondary.more", { type: "button" }, more);
  let cursor = null;
  const append = (page) => {
    items.append(...edges(page).map(renderItem));
    cursor = page.pageInfo.endCursor;
    button.hidden = !page.pageInfo.hasNextPage;
  };
  button.addEventListener("click", () => guarded(async () => {
    button.disabled = true;
    try {
      append(await loadMore(cursor));
    } finally {
      button.disabled = false;
    }
  }));
  append(connection);
  return h("div.paged", {}, items, button);
}
