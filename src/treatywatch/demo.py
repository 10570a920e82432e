"""``make demo``: run the pipeline end to end on the default SQLite store.

Create the store and load the catalogue, import the ledger, ingest the
sample laws (and the real corpus when present), then align, assess and
report every law. Each pipeline stage adds its step here so the demo always
shows the whole product.
"""

from __future__ import annotations

from treatywatch.catalogue import Catalogue
from treatywatch.config import settings
from treatywatch.ingest.cli import demo_step as ingest_demo_step
from treatywatch.ledger.cli import demo_step as ledger_demo_step
from treatywatch.output import console
from treatywatch.report.demo import demo_step as analysis_demo_step
from treatywatch.store import init_store, session_scope
from treatywatch.store.search_index import search

NEXT_COMMANDS = (
    "treatywatch articles list --instrument uncc --category procedural",
    "treatywatch articles show uncc/art-28",
    "treatywatch crosswalk --format csv > crosswalk.csv",
    'treatywatch search "real-time traffic data"',
    "treatywatch criteria judicial-authorization",
    "treatywatch coverage KEN",
    "treatywatch review list --limit 10",
    "treatywatch report KEN --format pdf -o ken.pdf",
    "treatywatch compare --by criteria",
    "treatywatch eval --gold ../shared/gold --corpus ../shared/corpus",
)


def run() -> None:
    config = settings()
    console.rule("[bold]treatywatch demo")
    report = init_store()
    console.print(f"Store: [bold]{report.database}[/] (schema {report.revision_after})")
    catalogue = Catalogue.load()
    from treatywatch.cli import summary  # the same view as `treatywatch summary`

    summary(as_json=False)
    with session_scope() as session:
        hits = search(session, "real-time traffic data", entity_type="article", limit=3)
    console.print(
        "Search check, 'real-time traffic data' → " + ", ".join(h.entity_id for h in hits)
    )
    ledger_demo_step()
    ingest_demo_step()
    reports = analysis_demo_step()
    console.print(
        f"\n{len(catalogue.criteria)} rights criteria loaded. Results are in "
        f"[bold]{config.data_dir}[/] (reports in [bold]{reports}[/]). "
        f"Try next (with TREATYWATCH_DATA_DIR={config.data_dir}):"
    )
    for command in NEXT_COMMANDS:
        console.print(f"  [cyan]{command}[/]")
    console.print(
        "\nWeb UI and API: [bold]make serve[/] → [bold]http://127.0.0.1:8000/[/] "
        "(API docs at /docs; add an account with `treatywatch users add NAME --role admin`)."
    )
