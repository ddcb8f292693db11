import pytest

from macros import datasets
from snippets.patterns.choose_a_pattern import Requirements, choose_pattern


def test_caller_waiting_means_request_reply() -> None:
    req = Requirements(
        source="database", caller_needs_answer=True, max_delay_seconds=1, own_the_database=True
    )
    assert choose_pattern(req)[0] == "request-reply"


def test_owned_database_with_low_latency_means_cdc() -> None:
    req = Requirements(
        source="database", caller_needs_answer=False, max_delay_seconds=30, own_the_database=True
    )
    assert choose_pattern(req) == (
        "cdc",
        "log-based capture gives every change, deletes included, within seconds",
    )


def test_database_without_log_access_is_not_cdc() -> None:
    req = Requirements(source="database", caller_needs_answer=False, max_delay_seconds=30)
    assert choose_pattern(req)[0] == "dlt-pipelines"


def test_warehouse_source_means_reverse_etl() -> None:
    req = Requirements(source="warehouse", caller_needs_answer=False, max_delay_seconds=3600)
    assert choose_pattern(req)[0] == "reverse-etl"


def test_many_consumers_means_events() -> None:
    req = Requirements(source="saas_app", caller_needs_answer=False, max_delay_seconds=10, consumers=3)
    assert choose_pattern(req)[0] == "pub-sub-events"


def test_webhooks_only_when_the_app_sends_them() -> None:
    pushing = Requirements(
        source="saas_app", caller_needs_answer=False, max_delay_seconds=60, source_sends_webhooks=True
    )
    silent = Requirements(source="saas_app", caller_needs_answer=False, max_delay_seconds=60)
    assert choose_pattern(pushing)[0] == "webhooks"
    assert choose_pattern(silent)[0] == "dlt-pipelines"


def test_files_and_long_delays_mean_batch() -> None:
    files = Requirements(source="files", caller_needs_answer=False, max_delay_seconds=60)
    nightly = Requirements(source="saas_app", caller_needs_answer=False, max_delay_seconds=86400)
    no_python = Requirements(
        source="saas_app", caller_needs_answer=False, max_delay_seconds=600, team_writes_python=False
    )
    assert choose_pattern(files)[0] == "batch-file"
    assert choose_pattern(nightly)[0] == "batch-file"
    assert choose_pattern(no_python)[0] == "batch-file"


def test_negative_delay_is_rejected() -> None:
    with pytest.raises(ValueError, match="cannot be negative"):
        choose_pattern(Requirements(source="files", caller_needs_answer=False, max_delay_seconds=-1))


def test_every_answer_is_a_pattern_of_the_matrix() -> None:
    ids = {p.id for p in datasets.load("patterns").patterns}
    sources = ("database", "saas_app", "files", "warehouse")
    answers = {
        choose_pattern(
            Requirements(
                source=s,
                caller_needs_answer=a,
                max_delay_seconds=d,
                consumers=c,
                own_the_database=o,
                source_sends_webhooks=w,
                team_writes_python=p,
            )
        )[0]
        for s in sources
        for a in (True, False)
        for d in (1, 600, 86400)
        for c in (1, 3)
        for o in (True, False)
        for w in (True, False)
        for p in (True, False)
    }
    assert answers == ids
