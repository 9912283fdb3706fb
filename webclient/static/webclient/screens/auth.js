// Sign up and log in: the session cookie the server sets is all the client keeps.

import { mutate } from "../api.js";
import { guarded, h, show } from "../dom.js";

const LOG_IN = `mutation LogIn($input: LogInInput!) { logIn(input: $input) { user { username } } }`;
const SIGN_UP = `mutation SignUp($input: SignUpInput!) { signUp(input: $input) { user { username } } }`;

function field(label, name, type = "text") {
  return h("label", {}, label, h("input", { name, type, required: true, autocomplete: "off" }));
}

function form(id, title, fields, submit, onSubmit) {
  const el = h("form.card", { id, onsubmit: (event) => {
    event.preventDefault();
    guarded(() => onSubmit(Object.fromEntries(new FormData(el))));
  } }, h("h2", {}, title), ...fields, h("button", { type: "submit" }, submit));
  return el;
}

export function renderAuth(onSignedIn) {
  const logIn = form("login-form", "Log in", [field("Username", "username"), field("Password", "password", "password")],
    "Log in", async (values) => {
      await mutate(LOG_IN, { input: values });
      onSignedIn();
    });
  const type = h("label", {}, "Account type", h("select", { name: "accountType" },
    h("option", { value: "PERSONAL" }, "Personal"), h("option", { value: "CREATOR" }, "Creator")));
  const signUp = form("signup-form", "Sign up",
    [field("Username", "username"), field("Email", "email", "email"), field("Password", "password", "password"), type],
    "Create account", async (values) => {
      await mutate(SIGN_UP, { input: values });
      onSignedIn();
    });
  show(h("div.columns", {}, logIn, signUp));
}
