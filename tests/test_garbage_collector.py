"""At start the app moves what lives as long as the process out of the cyclic collector's sight and
collects young objects less often (`REGISTRY_TUNE_GARBAGE_COLLECTOR`); off, it leaves Python's own."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from registry.app import YOUNG_COLLECTION_THRESHOLD, create_app
from registry.settings import Settings


@pytest.fixture
def python_collector() -> Iterator[tuple[int, int, int]]:
    """Python's own collector settings, put back after the test."""
    gc.unfreeze()
    threshold = gc.get_threshold()
    gc.set_threshold(700, threshold[1], threshold[2])
    yield gc.get_threshold()
    gc.set_threshold(*threshold)


@pytest.mark.parametrize("tuned", [True, False])
async def test_the_collector_is_settled_at_start_unless_turned_off(
    settings: Settings, python_collector: tuple[int, int, int], tuned: bool
) -> None:
    app = create_app(settings.model_copy(update={"tune_garbage_collector": tuned}))
    async with app.router.lifespan_context(app):
        if tuned:
            assert gc.get_freeze_count() > 10_000  # the modules, the schema, the app
            assert gc.get_threshold() == (YOUNG_COLLECTION_THRESHOLD, *python_collector[1:])
        else:
            assert gc.get_freeze_count() == 0
            assert gc.get_threshold() == python_collector
