// The only way the client talks to the server: POST /graphql/ with the session cookie and the
// CSRF token, the way any browser frontend must (README "Endpoints").

const ENDPOINT = "/graphql/";

/** A GraphQL error list, kept whole so screens can show each message with its code. */
export class GraphQLError extends Error {
  constructor(errors) {
    super(errors.map(describe).join("; "));
    this.errors = errors;
  }
}

/** "message (CODE)": what a person needs to read, and what a developer needs to search. */
export function describe(error) {
  const code = error.extensions && error.extensions.code;
  return code ? `${error.message} (${code})` : error.message;
}

function cookie(name) {
  const found = document.cookie.split("; ").find((part) => part.startsWith(`${name}=`));
  return found ? decodeURIComponent(found.slice(name.length + 1)) : null;
}

// Read the cookie before every POST: Django rotates the token when someone signs in.
async function csrfToken() {
  const token = cookie("csrftoken");
  if (token) return token;
  const response = await fetch("/auth/csrf/", { credentials: "same-origin" });
  return (await response.json()).csrfToken;
}

/**
 * Run one operation. Returns { data, errors } when the server answered with data (a partial
 * answer keeps its errors); throws GraphQLError when there is no data at all.
 */
export async function gql(query, variables = {}) {
  const response = await fetch(ENDPOINT, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": await csrfToken() },
    body: JSON.stringify({ query, variables }),
  });
  let body;
  try {
    body = await response.json();
  } catch {
    throw new GraphQLError([{ message: `HTTP ${response.status}`, extensions: { code: "HTTP_ERROR" } }]);
  }
  const errors = body.errors || [];
  if (!body.data) throw new GraphQLError(errors.length ? errors : [{ message: "No data" }]);
  return { data: body.data, errors };
}

/** Run a mutation: any error means it did not happen, so it is thrown for the screen to show. */
export async function mutate(query, variables = {}) {
  const { data, errors } = await gql(query, variables);
  if (errors.length) throw new GraphQLError(errors);
  return data;
}
