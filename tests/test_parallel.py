"""scorecard.parallel.run: the same list as a list comprehension, whoever did the work.

Worker processes take chunks from the front while this process takes them from the end;
the results come back in the items' order, and an item's exception is raised as the list
comprehension would raise it: the first failing item's, in order.
"""

from __future__ import annotations

import pytest

from scorecard import parallel
from scorecard.errors import UsageError

ITEMS = [str(i) for i in range(60)]


@pytest.fixture
def two_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "_allowed", True)
    monkeypatch.setenv(parallel.WORKERS, "2")


@pytest.mark.usefixtures("two_workers")
def test_results_come_back_in_order() -> None:
    assert parallel.run(int, ITEMS, minimum=2) == [int(i) for i in ITEMS]


@pytest.mark.usefixtures("two_workers")
def test_the_first_failing_item_in_order_is_the_one_raised() -> None:
    # The last item (worked on by this process first) also fails, with its own message.
    items = [*ITEMS[:5], "first bad", *ITEMS[5:], "last bad"]
    with pytest.raises(ValueError, match="first bad"):
        parallel.run(int, items, minimum=2)


def test_without_allow_the_work_stays_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "_allowed", False)
    seen: list[str] = []  # a closure could not be sent to a worker process

    def note(item: str) -> int:
        seen.append(item)
        return int(item)

    assert parallel.run(note, ITEMS, minimum=2) == list(range(60))
    assert seen == ITEMS


def test_a_bad_worker_count_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "_allowed", True)
    monkeypatch.setenv(parallel.WORKERS, "two")
    with pytest.raises(UsageError, match="SCORECARD_WORKERS"):
        parallel.run(int, ITEMS, minimum=2)
