// Mounts GraphiQL (globals React, ReactDOM and GraphiQL from vendor/, see ide/assets.py) on the endpoint
// chosen in the page's select. Requests are JSON POSTs with this browser's session cookie: a JSON
// body is one a browser preflights across origins, so the endpoints ask it for no CSRF token.

const ACCEPT = "application/graphql-response+json, application/json;q=0.9";

function fetcherFor(endpoint) {
  return async (params, options) => {
    const response = await fetch(endpoint, {
      method: "POST",
      credentials: "same-origin",
      headers: { ...options?.headers, Accept: ACCEPT, "Content-Type": "application/json" },
      body: JSON.stringify(params),
    });
    return response.json();
  };
}

const select = document.getElementById("endpoint");
const root = ReactDOM.createRoot(document.getElementById("graphiql"));

function mount() {
  root.render(React.createElement(GraphiQL, { fetcher: fetcherFor(select.value) }));
}

select.addEventListener("change", () => {
  history.replaceState(null, "", select.value); // a reload opens the page on the same endpoint
  mount();
});
mount();
