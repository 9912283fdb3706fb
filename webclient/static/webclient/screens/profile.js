// A profile (#/user/<username>): the public profile and the videos the viewer may see, with
// Follow, Mute and Block. A block hides the two people from each other, so afterwards the profile
// answers as missing, exactly as an account that does not exist (the API answers no profile the
// viewer blocked, so it never offers Unblock); the viewer unblocks in Settings.

import { gql, gqlWhole, mutate } from "../api.js";
import { guarded, h, show, showErrors } from "../dom.js";
import { pageOf, pagedList } from "../paging.js";
import { followers } from "./accountrow.js";
import { VIDEO_FIELDS, cardsFrom } from "./videocard.js";

const PAGE_SIZE = 12;
const PROFILE = `query Profile($username: String!, $after: String) { me { username } user(username: $username) {
  username displayName bio accountType isPrivate followerCount followingCount viewerHasMuted
  videos(first: ${PAGE_SIZE}, after: $after) { ${pageOf(VIDEO_FIELDS)} } } }`;
const FOLLOW = `mutation($input: FollowInput!) { follow(input: $input) { status user { followerCount } } }`;
const UNFOLLOW = `mutation($input: UnfollowInput!) { unfollow(input: $input) { removed user { followerCount } } }`;
const BLOCK = `mutation($input: BlockUserInput!) { blockUser(input: $input) { blocked } }`;
const MUTE = `mutation($input: MuteUserInput!) { muteUser(input: $input) { muted } }`;
const UNMUTE = `mutation($input: UnmuteUserInput!) { unmuteUser(input: $input) { removed } }`;

const ACCOUNT_TYPES = { PERSONAL: "Personal account", CREATOR: "Creator account", BUSINESS: "Business account" };
const FOLLOW_LABELS = { ACCEPTED: "Following", PENDING: "Requested" };

function counts(user) {
  return `${followers(user.followerCount)} · ${user.followingCount} following`;
}

// What a press of Follow answered, by username, kept while the page is open (a Mute redraws the profile).
const followStatuses = new Map();

/**
 * Follow and unfollow. The API does not tell whether the viewer already follows someone, so the
 * button starts as "Follow" (following twice changes nothing) and shows the answer after a press:
 * "Following", or "Requested" for a private account; pressed again, it unfollows or withdraws.
 */
function followButton(user, countLine) {
  let status = followStatuses.get(user.username) || null;
  const button = h("button.follow", { type: "button" });
  const paint = () => {
    button.textContent = FOLLOW_LABELS[status] || "Follow";
    button.setAttribute("aria-pressed", String(Boolean(status)));
  };
  button.addEventListener("click", () => guarded(async () => {
    const input = { username: user.username };
    const answer = status ? (await mutate(UNFOLLOW, { input })).unfollow : (await mutate(FOLLOW, { input })).follow;
    status = answer.status || null;
    followStatuses.set(user.username, status);
    countLine.textContent = counts({ ...user, followerCount: answer.user.followerCount });
    paint();
  }));
  paint();
  return button;
}

function blockConfirmation(user, onBlocked) {
  const name = `@${user.username}`;
  const panel = h("div.card.confirm", { id: "block-confirm", role: "alertdialog", "aria-labelledby": "block-title", hidden: true },
    h("strong", { id: "block-title" }, `Block ${name}?`),
    h("p", {}, `You and ${name} will no longer see each other anywhere: profiles, videos, comments and notifications. ` +
      "Follows between you end, both ways. They are not told: to them your account looks as if it did not exist. " +
      "You can unblock them in Settings."),
    h("div.actions", {},
      h("button.danger", { type: "button", id: "block-confirm-button", onclick: () => guarded(async () => {
        await mutate(BLOCK, { input: { username: user.username } });
        await onBlocked();
      }) }, `Block ${name}`),
      h("button.secondary", { type: "button", onclick: () => { panel.hidden = true; } }, "Cancel")));
  return panel;
}

function actions(user, countLine, rerender) {
  const confirm = blockConfirmation(user, rerender);
  const mute = h("button.secondary", { type: "button", id: "mute", "aria-pressed": String(user.viewerHasMuted),
    onclick: () => guarded(async () => {
      await mutate(user.viewerHasMuted ? UNMUTE : MUTE, { input: { username: user.username } });
      await rerender();
    }) }, user.viewerHasMuted ? "Unmute" : "Mute");
  const block = h("button.secondary", { type: "button", id: "block", onclick: () => { confirm.hidden = false; } }, "Block");
  return { buttons: h("div.actions.profile-actions", {}, followButton(user, countLine), mute, block), confirm };
}

export async function renderProfile(username = "") {
  const { data, errors } = await gql(PROFILE, { username, after: null });
  showErrors(errors);
  const user = data.user;
  if (!user) {
    show(h("div.card.missing", { id: "profile-missing" }, h("h1", {}, "This account is not available."),
      h("p.muted", {}, "It may not exist, or it may be hidden from you. Accounts you blocked are listed in ",
        h("a", { href: "#/settings" }, "Settings"), ".")));
    return;
  }
  const name = `@${user.username}`;
  const countLine = h("p.muted", { id: "profile-counts" }, counts(user));
  const own = data.me && data.me.username === user.username;
  const loadMore = async (after) => (await gqlWhole(PROFILE, { username, after })).user.videos;
  const { buttons, confirm } = own
    ? { buttons: h("p.muted", {}, "This is how others see your profile."), confirm: null }
    : actions(user, countLine, () => renderProfile(username));
  show(
    h("section.card.profile", { id: "profile", "data-username": user.username },
      h("div.avatar", { "aria-hidden": "true" }, (user.displayName || user.username).slice(0, 1).toUpperCase()),
      h("div.profile-text", {},
        h("h1", {}, user.displayName || name),
        h("p.muted", {}, [name, ACCOUNT_TYPES[user.accountType], user.isPrivate ? "Private account" : null]
          .filter(Boolean).join(" · ")),
        user.bio ? h("p.bio", {}, user.bio) : null,
        countLine),
      buttons),
    confirm,
    user.viewerHasMuted
      ? h("p.note", { id: "muted-note" }, `You muted ${name}: their videos stay out of your feeds and search, and ` +
        "their notifications are hidden from you. They are not told.")
      : null,
    h("h2", {}, "Videos"),
    pagedList(user.videos, loadMore, cardsFrom("PROFILE"), { id: "profile-videos",
      empty: user.isPrivate && !own ? "This account is private: its videos are for approved followers." : "No videos you can see." }),
  );
}
