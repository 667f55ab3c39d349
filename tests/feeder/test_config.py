"""The provider configuration: a JSON Schema kept in the repo, secrets only by reference, and errors
that name the file, the field and the reason."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from registry.feeder.config import SCHEMA_PATH, ConfigError, SecretRef, json_schema, read_config
from tests.feeder.conftest import DEMO, IAM, SLA, identity


def test_the_schema_in_the_repo_is_the_schema_of_the_models() -> None:
    # `registry feed --schema > registry/feeder/config.schema.json` after changing registry/feeder/config.py
    assert json.loads(SCHEMA_PATH.read_text()) == json_schema()


def test_the_demo_configuration_passes_the_json_schema_and_the_models() -> None:
    data = json.loads(json.dumps(yaml.safe_load((DEMO / "providers.yaml").read_text()), default=str))
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text()))

    assert [e.message for e in validator.iter_errors(data)] == []
    assert [p.name for p in read_config(DEMO / "providers.yaml").providers] == ["CLOUD-CNAF", "INFN-K8S-CT"]


def provider(**change: Any) -> dict[str, Any]:
    base = {"name": "P", "type": "openstack", "authUrl": "https://keystone.test/v3", "regions": [{"name": "r"}],
            "projects": [{"id": "p1", "sla": SLA, "credentials": {
                "method": "password", "username": "u", "password": {"env": "PW"}}}]}  # fmt: skip
    base.update(change)
    return base


def write(tmp_path: Path, *providers: dict[str, Any], name: str = "providers.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump({"identityProviders": identity(), "providers": list(providers)}))
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"projects": [{"id": "p1", "sla": SLA, "credentials": {"method": "password", "username": "u",
                                                                "password": "hunter2"}}]},
         "providers.0.openstack.projects.0.credentials.password.password: Input should be a valid dictionary"),
        ({"projects": [{"id": "p1", "sla": SLA, "credentials": {"method": "password", "username": "u",
                                                                "password": {"env": "A", "file": "/b"}}}]},
         "credentials.password.password: Value error, give exactly one of env or file"),
        ({"projects": [{"id": "p1", "sla": "no-such-sla"}]}, "no credentials"),
        ({"projects": [{"id": "p1", "sla": "no-such-sla", "credentials": {
            "method": "applicationCredential", "id": "x", "secret": {"env": "S"}}}]},
         "providers.0.projects.0.sla: no SLA 'no-such-sla' under identityProviders"),
        ({"identityProviders": [{"endpoint": "https://elsewhere.test/", "idpName": "x"}]},
         "providers.0.identityProviders.0: no identity provider 'https://elsewhere.test/'"),
        ({"regions": [{"name": "r", "location": {"site": "s", "country": "Narnia"}}]},
         "regions.0.location.country: Value error, 'Narnia' is not an ISO 3166 country name or code"),
        ({"timeout": 0}, "providers.0.openstack.timeout: Input should be greater than 0"),
        ({"type": "vmware"}, "providers.0: Input tag 'vmware' found using 'type' does not match"),
        ({"colour": "red"}, "providers.0.openstack.colour: Extra inputs are not permitted"),
    ],
)  # fmt: skip
def test_a_bad_configuration_is_refused_naming_the_file_the_field_and_the_reason(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    path = write(tmp_path, provider(**change))

    with pytest.raises(ConfigError) as refused:
        read_config(path)

    assert str(refused.value).startswith(f"{path}: ")
    assert message in str(refused.value)


def test_a_provider_configured_twice_is_refused_naming_both(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"providers.1: provider 'P' is also providers.0"):
        read_config(write(tmp_path, provider(), provider()))


def test_a_yaml_syntax_error_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("providers:\n  - name: P\n    type: [openstack\n")

    with pytest.raises(ConfigError, match=rf"^{path}:4:1: "):
        read_config(path)


def test_a_folder_is_read_file_by_file_and_references_may_cross_files(tmp_path: Path) -> None:
    (tmp_path / "0-identity.yaml").write_text(yaml.safe_dump({"identityProviders": identity()}))
    (tmp_path / "1-p.yaml").write_text(yaml.safe_dump({"providers": [provider(identityProviders=[
        {"endpoint": IAM, "idpName": "infn-cc"}])]}))  # fmt: skip
    (tmp_path / "2-q.yml").write_text(yaml.safe_dump({"providers": [provider(name="Q")]}))
    (tmp_path / "notes.txt").write_text("not configuration")

    merged = read_config(tmp_path)

    assert [p.name for p in merged.providers] == ["P", "Q"]
    assert [i.endpoint for i in merged.identity_providers] == [IAM]


def test_a_folder_still_checks_references_once_merged(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(yaml.safe_dump({"providers": [provider()]}))
    with pytest.raises(ConfigError, match=r"no SLA .* under identityProviders"):
        read_config(tmp_path)


def test_secrets_are_read_from_their_reference_and_a_missing_one_is_named_not_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret_file = tmp_path / "secret"
    secret_file.write_text("s3cret\n")
    monkeypatch.setenv("FEEDER_TEST_SECRET", "from-env")
    monkeypatch.delenv("FEEDER_TEST_MISSING", raising=False)

    assert SecretRef(file=secret_file).read() == "s3cret"
    assert SecretRef(env="FEEDER_TEST_SECRET").read() == "from-env"
    with pytest.raises(ValueError, match="environment variable FEEDER_TEST_MISSING is not set"):
        SecretRef(env="FEEDER_TEST_MISSING").read()
    with pytest.raises(ValueError, match="cannot read secret file"):
        SecretRef(file=tmp_path / "nope").read()


def test_the_readme_configuration_example_passes_the_json_schema_and_the_models(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme[readme.index("## Feeding the registry") :]
    example = section[section.index("```yaml\n") + len("```yaml\n") :]
    path = tmp_path / "readme.yaml"
    path.write_text(example[: example.index("```")])
    data = json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text()))

    errors = [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]
    parsed = read_config(path)

    assert errors == []
    assert [(p.name, p.type) for p in parsed.providers] == [("CLOUD-CNAF", "openstack"), ("INFN-K8S-CT", "kubernetes")]
