// My favorites, grouped in collections. Only the saver ever sees this list.

import { gql, mutate } from "../api.js";
import { edges, guarded, h, show, showErrors } from "../dom.js";
import { captionNodes, userLink } from "../links.js";

const FAVORITES = `query Favorites($collectionId: ID) { me {
  collections(first: 50) { edges { node { id name } } }
  favorites(first: 50, collectionId: $collectionId) { edges { node {
    id createdAt isAvailable collection { id name } video { id caption owner { username } } } } } } }`;
const CREATE = `mutation($input: CreateCollectionInput!) { createCollection(input: $input) { collection { id } } }`;
const MOVE = `mutation($input: MoveFavoriteInput!) { moveFavorite(input: $input) { favorite { id } } }`;
const REMOVE = `mutation($input: UnfavoriteVideoInput!) { unfavoriteVideo(input: $input) { removed } }`;

let selected = null; // the collection filter, kept while the page is open

function favoriteRow(favorite, collections) {
  if (!favorite.isAvailable || !favorite.video) {
    return h("li.card.favorite", { "data-testid": "favorite" }, h("em.muted", {}, "This video is no longer available."));
  }
  const videoId = favorite.video.id;
  const move = h("select", { "aria-label": "Collection", onchange: (event) => guarded(async () => {
    await mutate(MOVE, { input: { videoId, collectionId: event.target.value || null } });
    await renderFavorites();
  }) }, h("option", { value: "" }, "No collection"),
  collections.map((c) => h("option", { value: c.id, selected: favorite.collection?.id === c.id }, c.name)));
  const remove = h("button.secondary", { type: "button", onclick: () => guarded(async () => {
    await mutate(REMOVE, { input: { videoId } });
    await renderFavorites();
  }) }, "Remove");
  return h("li.card.favorite", { "data-testid": "favorite", "data-caption": favorite.video.caption },
    h("div", {}, h("strong", {}, captionNodes(favorite.video.caption)),
      h("span.muted", {}, " by ", userLink(favorite.video.owner.username))),
    h("div.actions", {}, move, remove));
}

export async function renderFavorites() {
  const { data, errors } = await gql(FAVORITES, { collectionId: selected });
  showErrors(errors);
  const collections = edges(data.me.collections);
  const favorites = edges(data.me.favorites);
  const chip = (id, name) => h("button.chip", { type: "button", "aria-pressed": String(selected === id),
    onclick: () => { selected = id; guarded(renderFavorites); } }, name);
  const create = h("form.inline", { id: "collection-form", onsubmit: (event) => {
    event.preventDefault();
    const name = new FormData(event.target).get("name");
    guarded(async () => { await mutate(CREATE, { input: { name } }); await renderFavorites(); });
  } }, h("input", { name: "name", placeholder: "new collection", required: true }), h("button", { type: "submit" }, "Add"));
  show(
    h("h1", {}, "My favorites"),
    h("p.muted", {}, "Only you can see what you saved. Creators see totals, never who."),
    h("div.chips", {}, chip(null, "All"), collections.map((c) => chip(c.id, c.name)), create),
    favorites.length
      ? h("ul.list", { id: "favorites" }, favorites.map((f) => favoriteRow(f, collections)))
      : h("p.muted.empty", { id: "favorites-empty" }, "Nothing saved here yet."),
  );
}
