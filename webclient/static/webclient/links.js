// Links to the client's own pages: profiles, hashtags, searches. Each is a built element with its
// text set as text, so a caption or a username never reaches the page as HTML; every href starts
// with "#/", so none can become a javascript: or off-site link.

import { h } from "./dom.js";

/** "#/user/ana": the path of a screen with its argument (a username, a tag, a search), encoded. */
export function screenHref(screen, argument) {
  return `#/${screen}/${encodeURIComponent(argument)}`;
}

export function userLink(username, text = `@${username}`) {
  return h("a.user", { href: screenHref("user", username), "data-username": username }, text);
}

export function tagLink(name, text = `#${name}`) {
  return h("a.tag", { href: screenHref("tag", name), "data-tag": name }, text);
}

// The server's rule for a hashtag (engagement/hashtags.py), close enough to place links: "#" and
// a run of word characters holding a letter, at the start or after a character that is neither a
// word character nor "&", "/" or "#", outside web links. A run the server did not take as a tag
// links to a tag page that says it has no videos.
const TAG = /#([\p{L}\p{M}\p{N}\p{Pc}\u200c\u200d]+)/gu;
const WORD = /[\p{L}\p{M}\p{N}\p{Pc}\u200c\u200d]/u;
const LETTER = /\p{L}/u;
const WEB_LINK = /(?:\b[a-z][a-z0-9+.-]*:\/\/|\bwww\.)\S*/giu;
const NOT_BEFORE_A_TAG = "&/#";
const MAX_TAG_LENGTH = 100;

function isTagAt(caption, index, run, webLinks) {
  if (webLinks.some(([start, end]) => index >= start && index < end)) return false;
  const before = index ? caption[index - 1] : " ";
  if (WORD.test(before) || NOT_BEFORE_A_TAG.includes(before)) return false;
  return LETTER.test(run) && run.toLowerCase().length <= MAX_TAG_LENGTH;
}

/** A caption as text with its hashtags as links to their pages, for h(…, ...captionNodes(c)). */
export function captionNodes(caption) {
  const webLinks = [...caption.matchAll(WEB_LINK)].map((m) => [m.index, m.index + m[0].length]);
  const nodes = [];
  let done = 0;
  for (const match of caption.matchAll(TAG)) {
    if (!isTagAt(caption, match.index, match[1], webLinks)) continue;
    if (match.index > done) nodes.push(caption.slice(done, match.index));
    nodes.push(tagLink(match[1].normalize("NFKC").toLowerCase(), match[0]));
    done = match.index + match[0].length;
  }
  if (done < caption.length) nodes.push(caption.slice(done));
  return nodes;
}
