// The shape every settings form shares: a card with a title, what it is about, its fields, and a
// save button that says "Saved." once the server took the change (errors go to the banner, or,
// when save answers false, the form has shown them itself and says "Not saved.").

import { guarded, h } from "../dom.js";

export function settingsForm(id, title, intro, fields, save, submitLabel = "Save") {
  const status = h("span.muted", { id: `${id}-status`, "aria-live": "polite" });
  const form = h("form.card", { id, onsubmit: (event) => {
    event.preventDefault();
    guarded(async () => {
      status.textContent = "";
      const saved = await save(form.elements);
      status.textContent = saved === false ? "Not saved." : "Saved.";
    });
  } }, h("h2", {}, title), intro ? h("p.muted", {}, intro) : null, ...fields,
  h("div.actions", {}, h("button", { type: "submit" }, submitLabel), status));
  return form;
}
