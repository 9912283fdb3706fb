"""The single-page web client at /app/: plain ES modules and CSS, talking only to /graphql/."""
