#!/usr/bin/env python3
"""Pull the daily insights of every one of your videos into a CSV file.

A creator's script, standard library only. It signs in with a personal access token that has
the INSIGHTS_READ scope (create one with the ``createAccessToken`` mutation while signed in;
the token is shown once) and reads the token from an environment variable, not the command
line, where other users of the machine could see it::

    export SILENT_SAVES_TOKEN=ssv_pat_...
    python examples/pull_insights.py --from 2024-05-01 --to 2024-05-31 -o insights.csv

One row per video and day: views, likes, saves, shares, comments, downloads, watch seconds,
completions and new followers. Daily series are for creator and business accounts; saves per
day for business accounts only (the column is empty for a creator account).
"""

import argparse
import csv
import json
import os
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any, TextIO

DEFAULT_URL = "http://127.0.0.1:8000/graphql/"
PAGE_SIZE = 20
RETRIES = 3
METRICS = ("views", "likes", "saves", "shares", "comments", "downloads", "watchSeconds", "completions", "newFollowers")
COLUMNS = ("video_id", "caption", "date", *METRICS)
QUERY = """
query DailyInsights($first: Int!, $after: String, $from: Date!, $to: Date!) {
  me {
    videos(first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id
          caption
          insights {
            daily(from: $from, to: $to) {
              date views likes saves shares comments downloads watchSeconds completions newFollowers
            }
          }
        }
      }
    }
  }
}
"""


class ApiError(Exception):
    """The API refused the request; the message says why."""


def graphql(url: str, token: str, variables: dict[str, Any]) -> dict[str, Any]:
    """POST the query with the bearer token (no cookie, so no CSRF token is needed); waits and
    retries when rate limited."""
    body = json.dumps({"query": QUERY, "variables": variables}).encode()
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    for attempt in range(RETRIES + 1):
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                answer: dict[str, Any] = json.load(response)
                break
        except urllib.error.HTTPError as error:
            if error.code == 429 and attempt < RETRIES:
                time.sleep(min(int(error.headers.get("Retry-After", "5")), 60))
                continue
            raise ApiError(f"HTTP {error.code}: {_messages(error)}") from error
        except urllib.error.URLError as error:
            raise ApiError(f"cannot reach {url}: {error.reason}") from error
    if answer.get("errors"):
        raise ApiError("; ".join(_describe(error) for error in answer["errors"]))
    data: dict[str, Any] = answer["data"]
    return data


def _describe(error: dict[str, Any]) -> str:
    code = error.get("extensions", {}).get("code", "ERROR")
    where = ".".join(str(part) for part in error.get("path") or [])
    return f"{code} at {where}: {error.get('message')}" if where else f"{code}: {error.get('message')}"


def _messages(error: urllib.error.HTTPError) -> str:
    try:
        return "; ".join(_describe(item) for item in json.load(error).get("errors", []))
    except ValueError:
        return error.reason


def daily_rows(url: str, token: str, first: date, last: date) -> Iterator[dict[str, Any]]:
    """Every video's series, page by page."""
    after = None
    while True:
        variables = {"first": PAGE_SIZE, "after": after, "from": first.isoformat(), "to": last.isoformat()}
        data = graphql(url, token, variables)
        if data.get("me") is None:
            raise ApiError("the token is not signed in as anyone")
        page = data["me"]["videos"]
        for edge in page["edges"]:
            video = edge["node"]
            for day in video["insights"]["daily"]:
                yield {"video_id": video["id"], "caption": video["caption"], **day}
        if not page["pageInfo"]["hasNextPage"]:
            return
        after = page["pageInfo"]["endCursor"]


def write_csv(rows: Iterator[dict[str, Any]], out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    written = 0
    for row in rows:
        writer.writerow(row)
        written += 1
    return written


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    parser = argparse.ArgumentParser(
        description="Write the daily insights of all your videos to CSV (one row per video and day).",
        epilog="The token needs the INSIGHTS_READ scope. Exit status: 0 on success, 1 when the API refuses.",
    )
    parser.add_argument("--url", default=os.environ.get("SILENT_SAVES_URL", DEFAULT_URL), help="GraphQL endpoint")
    parser.add_argument(
        "--token-env",
        default="SILENT_SAVES_TOKEN",
        metavar="NAME",
        help="environment variable holding the access token (default SILENT_SAVES_TOKEN)",
    )
    parser.add_argument(
        "--from",
        dest="first",
        type=date.fromisoformat,
        default=yesterday - timedelta(days=27),
        metavar="YYYY-MM-DD",
        help="first day, UTC (default: 28 days ago)",
    )
    parser.add_argument(
        "--to", dest="last", type=date.fromisoformat, default=yesterday, metavar="YYYY-MM-DD", help="last day, UTC"
    )
    parser.add_argument("-o", "--output", default="-", help="CSV file to write (default: standard output)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    options = parse_arguments(argv)
    token = os.environ.get(options.token_env, "")
    if not token:
        print(f"Set {options.token_env} to an access token with the INSIGHTS_READ scope.", file=sys.stderr)
        return 2
    rows = daily_rows(options.url, token, options.first, options.last)
    partial = f"{options.output}.part"
    try:
        if options.output == "-":
            written = write_csv(rows, sys.stdout)
        else:
            with open(partial, "w", newline="", encoding="utf-8") as out:
                written = write_csv(rows, out)
            os.replace(partial, options.output)  # never a half-written file under the real name
    except ApiError as error:
        if os.path.exists(partial):
            os.remove(partial)
        print(f"The API refused: {error}", file=sys.stderr)
        return 1
    print(f"Wrote {written} row(s).", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
