// The only way the client talks to the server: POST /graphql/ with the session cookie and a
// JSON body. JSON needs no CSRF token: a browser sends it across origins only after a CORS
// preflight, which the server answers for the origins it trusts alone (README "Endpoints").

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

/**
 * Run one operation. Returns { data, errors } when the server answered with data (a partial
 * answer keeps its errors); throws GraphQLError when there is no data at all. keepalive: the
 * request goes out even when the page is being left (a playback recorded as the viewer goes).
 */
export async function gql(query, variables = {}, { keepalive = false } = {}) {
  const response = await fetch(ENDPOINT, {
    method: "POST",
    credentials: "same-origin",
    keepalive,
    // The GraphQL media type when offered (GraphQL over HTTP): its bodies are GraphQL, whatever the status.
    headers: {
      "Content-Type": "application/json",
      Accept: "application/graphql-response+json, application/json;q=0.9",
    },
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

/**
 * Run an operation that counts only whole: any error is thrown for the screen to show. A mutation
 * with an error did not happen; a next page with one is no page.
 */
export async function gqlWhole(query, variables = {}, options = {}) {
  const { data, errors } = await gql(query, variables, options);
  if (errors.length) throw new GraphQLError(errors);
  return data;
}

/** Run a mutation: any error means it did not happen, so it is thrown for the screen to show. */
export const mutate = gqlWhole;
