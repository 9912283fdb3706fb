"""GraphiQL for both GraphQL endpoints, from our own static files: one IDE, no CDN."""
