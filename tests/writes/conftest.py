"""Fixtures the write tests share."""

from __future__ import annotations

from typing import Any

import pytest

from registry.feeder import read_federation
from tests.bundles import bundle_of
from tests.conftest import EXAMPLE_FEDERATION


@pytest.fixture
def cnaf() -> dict[str, Any]:
    """CLOUD-CNAF's bundle, as the feeder would send it, from the example federation."""
    return bundle_of(read_federation(EXAMPLE_FEDERATION), "CLOUD-CNAF")
