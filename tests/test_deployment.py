"""The deployment files: compose.yaml valid against the Compose Specification's schema, every service
pinned, health-checked and restarted, the registry in production mode trusting configured issuers; the
lock file the image installs from pins every dependency pyproject.toml declares, at a version it allows."""

from __future__ import annotations

import json
import re
import tomllib
from importlib import metadata
from typing import Any

import jsonschema
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from registry.settings import IssuerSettings
from tests.conftest import PROJECT

LOCK = PROJECT / "requirements.lock"


def _compose() -> dict[str, Any]:
    return dict(yaml.safe_load((PROJECT / "compose.yaml").read_text()))


def test_compose_file_is_valid_against_the_compose_specification() -> None:
    schema = json.loads((PROJECT / "tests" / "data" / "compose-spec.json").read_text())

    jsonschema.validate(_compose(), schema, cls=jsonschema.Draft7Validator)


def test_every_service_is_pinned_health_checked_and_restarted() -> None:
    services = _compose()["services"]

    assert set(services) == {"neo4j", "minio", "registry"}
    for name, service in services.items():
        assert service.get("restart") in ("always", "unless-stopped", "on-failure"), name
        assert service.get("healthcheck", {}).get("test"), name
        image = service.get("image")
        if image is not None:  # the registry is built from this repository
            tag = image.rpartition(":")[2]
            assert ":" in image and tag != "latest" and re.search(r"\d", tag), f"{name}: {image} is not pinned"
    assert re.fullmatch(r"neo4j:5\.26\.\d+-community", services["neo4j"]["image"])


def test_the_registry_runs_in_production_mode_trusting_the_example_issuers() -> None:
    registry = _compose()["services"]["registry"]
    environment = registry["environment"]

    assert environment["REGISTRY_ENVIRONMENT"] == "production"
    assert environment["REGISTRY_ISSUERS_FILE"] == "/etc/registry/issuers.yaml"
    assert any(v.endswith(":/etc/registry/issuers.yaml:ro") for v in registry["volumes"])
    issuers = yaml.safe_load((PROJECT / "examples" / "issuers.yaml").read_text())["issuers"]
    assert [IssuerSettings.model_validate(i).url for i in issuers]


def _locked() -> dict[str, str]:
    pins = {}
    for line in LOCK.read_text().splitlines():
        found = re.match(r"([A-Za-z0-9._-]+)==([^\s;\\]+)", line)
        if found:
            pins[canonicalize_name(found.group(1))] = found.group(2)
    return pins


def test_the_lock_file_pins_every_dependency_at_an_allowed_version_with_hashes() -> None:
    declared = tomllib.loads((PROJECT / "pyproject.toml").read_text())["project"]["dependencies"]
    pins = _locked()

    for line in declared:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not in requirements.lock: run `make lock`"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"requirements.lock pins {name}=={pins[name]}, pyproject.toml asks {requirement.specifier}: run `make lock`"
        )
        for extra in requirement.extras:  # what `pkg[extra]` brings must be locked too
            for needed in _needed_by_extra(requirement.name, extra):
                assert canonicalize_name(needed) in pins, f"{needed} ({line}) is not in requirements.lock"
    text = LOCK.read_text()
    assert text.count("--hash=sha256:") >= len(pins), "every pin carries its hashes"


def _needed_by_extra(distribution: str, extra: str) -> list[str]:
    needed = []
    for line in metadata.requires(distribution) or []:
        requirement = Requirement(line)
        marker = requirement.marker
        # only what the extra adds (a marker true without it is a plain dependency, checked anyway)
        if marker is not None and marker.evaluate({"extra": extra}) and not marker.evaluate({"extra": ""}):
            needed.append(requirement.name)
    return needed


def test_the_image_installs_from_the_lock_file() -> None:
    dockerfile = (PROJECT / "Dockerfile").read_text()

    assert re.search(r"pip install [^\n]*--require-hashes[^\n]*-r requirements\.lock", dockerfile)
    assert re.search(r"pip install [^\n]*--no-deps[^\n]* \.", dockerfile)
