// Tiny DOM helpers. Text always goes in through textContent, so no user data is parsed as HTML.

import { describe } from "./api.js";

/** h("button.save", {onclick}, "Save"): an element with classes, attributes and children. */
export function h(tag, attrs = {}, ...children) {
  const [name, ...classes] = tag.split(".");
  const el = document.createElement(name);
  if (classes.length) el.className = classes.join(" ");
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key in el && typeof value !== "string") el[key] = value;
    else el.setAttribute(key, value === true ? "" : value);
  }
  el.append(...nodes(children));
  return el;
}

/** Children as nodes: lists flattened, null and false left out, anything else as text. */
function nodes(children) {
  return children.flat(Infinity).filter((child) => child !== null && child !== undefined && child !== false)
    .map((child) => (child instanceof Node ? child : document.createTextNode(String(child))));
}

/** Replace the main view's content (children as h takes them). */
export function show(...children) {
  document.getElementById("view").replaceChildren(...nodes(children));
}

/** Show GraphQL errors (message and code) in the banner; an empty list clears it. */
export function showErrors(errors) {
  const box = document.getElementById("errors");
  box.replaceChildren(...errors.map((error) => h("p.error", { "data-testid": "error" }, describe(error))));
}

/** Run an action and put whatever it throws in the banner rather than losing it in the console. */
export async function guarded(action) {
  try {
    showErrors([]);
    return await action();
  } catch (error) {
    showErrors(error.errors || [{ message: String(error.message || error) }]);
    return undefined;
  }
}

export function edges(connection) {
  return connection ? connection.edges.map((edge) => edge.node) : [];
}
