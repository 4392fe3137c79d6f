"""The five seed newsletters as fixtures, in the order they load (no Django import: the benchmarks read it too).

`manage.py load_seeds` (which `make run` calls) loads them into an empty database; the tests
load the same list (tests/seed_data.py).
"""

SEED_FIXTURES = [
    "series",
    "landscape",
    "issue_weekly_41",
    "issue_weekly_51",
    "issue_weekly_53",
    "issue_bird_bird_2021_12",
    "issue_monthly_2022_04",
]
