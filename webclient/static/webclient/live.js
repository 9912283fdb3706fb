// Live updates over WebSocket: the client side of graphql-transport-ws (the protocol of the
// `graphql-ws` library), reduced to what this page needs: one socket per subscription, the
// session cookie as the credential (same origin), connection_init and its ack, subscribe, next,
// error and complete, pong to a ping, and a reconnect with backoff when the socket drops.
// Written out (about 70 lines) rather than vendoring graphql-ws: the page needs one subscription
// and no build step; a client that needs more (lazy sockets, retries per operation, many
// operations on one socket) should use graphql-ws itself.

const PROTOCOL = "graphql-transport-ws";
// Close codes that say the request itself is wrong (4400-4499): trying again would not help.
const FATAL = (code) => code >= 4400 && code < 4500 && code !== 4408;

function endpoint(path) {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}${path}`;
}

/**
 * Subscribe to `query` at `path` (default /graphql/). `onData(data)` gets each result's data,
 * `onErrors(errors)` any GraphQL errors. Returns `stop()`, which closes the socket for good.
 */
export function subscribe(query, { onData, onErrors = () => {}, path = "/graphql/" }) {
  let socket = null;
  let stopped = false;
  let retries = 0;

  function send(message) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }

  function open() {
    socket = new WebSocket(endpoint(path), PROTOCOL);
    socket.onopen = () => send({ type: "connection_init", payload: {} });
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.type === "connection_ack") {
        retries = 0;
        send({ id: "1", type: "subscribe", payload: { query } });
      } else if (message.type === "next") {
        if (message.payload.errors) onErrors(message.payload.errors);
        if (message.payload.data) onData(message.payload.data);
      } else if (message.type === "error") {
        onErrors(message.payload);
      } else if (message.type === "ping") {
        send({ type: "pong" });
      }
    };
    socket.onclose = (event) => {
      if (stopped || FATAL(event.code)) return;
      const delay = Math.min(30_000, 1000 * 2 ** retries++);
      setTimeout(() => { if (!stopped) open(); }, delay);
    };
  }

  open();
  return () => {
    stopped = true;
    send({ id: "1", type: "complete" });
    if (socket) socket.close(1000, "Normal Closure");
  };
}
