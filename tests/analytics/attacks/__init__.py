"""Attacks on the breakdowns, mounted through the API by a creator who knows the target and runs
many accounts: sybil padding of follower and video breakdowns (of a video's viewers or sharers),
range differencing, follow and unfollow, and one viewer across several videos.

Each attack runs twice: with no defense (noise off), where it must work, proving the harness can
fail; and at the documented settings, where its success, with a 95% Wilson interval over trials
of fresh noise keys, must stay within what the privacy model allows for the releases it reads.

The quick size (40 trials each) runs with the suite. The full size also requires each attack to
stay within five points of a blind guess (with more trials where 1,000 could not tell five points
from chance), and prints the table with pytest's ``-s``::

    ATTACK_TRIALS=1000 .venv/bin/pytest tests/analytics/attacks -s
"""
