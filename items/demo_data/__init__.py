"""Realistic demo data at scale, for development, demonstrations and the benchmark.

`DemoDataGenerator` (generator.py) plans a whole landscape in memory from one seed, one module
per kind of record — regulators with parents, organisations with groups, instruments at every
status, issues, news items in two languages with their sources, enforcement actions — then
writes it with bulk inserts (writer.py). The texts are built from bilingual phrase templates
(phrases.py, texts.py) over a shared vocabulary (vocabulary.py); random draws follow the
newsletters' distributions (draws.py).

Everything generated is marked so that `clear_demo_data()` (clearing.py) finds it again:
regulators, instruments, organisations and series have slugs starting with ``demo-``; issues
belong to a ``demo-`` series, items and sources to those issues, and actions are reported by
those items. Topics, violations and sections are the shared vocabulary: they are created when
missing, with the seed fixtures' slugs, and are never removed.

Bulk inserts skip `save()` and signals, so the generator does itself what they would do:
bodies are rendered to HTML (sentence templates are rendered once and filled, which gives the
same HTML as `render_markdown` at a fraction of the cost), public ids are numbered per year
in decision-date order and the `PublicIdCounter` rows are moved past them. History
(django-simple-history) is written for every batch by `record_created()`, in one
INSERT … SELECT per history table, with the change reason `HISTORY_REASON`.
"""

from .clearing import clear_demo_data, count_demo_data, demo_querysets
from .generator import DemoDataGenerator, generated_data_exists
from .vocabulary import DEMO_PREFIX
from .writer import BATCH_SIZE, HISTORY_REASON

__all__ = [
    "BATCH_SIZE",
    "DEMO_PREFIX",
    "HISTORY_REASON",
    "DemoDataGenerator",
    "clear_demo_data",
    "count_demo_data",
    "demo_querysets",
    "generated_data_exists",
]
