"""Repository rules hassfest does not check (see repository_checks.py; hassfest
itself runs from scripts/test).

Each check runs on the real files and once on a copy broken on purpose, so a
check that stopped biting would fail here.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from PIL import Image

from . import repository_checks as checks

INTEGRATION = checks.INTEGRATION


@pytest.fixture(name="manifest")
def manifest_fixture() -> dict:
    return checks.load_json(INTEGRATION / "manifest.json")


@pytest.fixture(name="strings")
def strings_fixture() -> dict:
    return checks.load_json(INTEGRATION / "strings.json")


def test_manifest(manifest: dict) -> None:
    assert checks.check_manifest(manifest) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda m: m.update(iot_class="local_polling"), "iot_class"),
        (lambda m: m.update(requirements=["plexapi==4.15.16"]), "pin exact"),
        (lambda m: m.update(requirements=["plexapi>=4.17.1"]), "plexapi>=4.15.16"),
        (lambda m: m.pop("loggers"), "loggers"),
    ],
)
def test_manifest_check_bites(manifest: dict, change, problem: str) -> None:
    broken = copy.deepcopy(manifest)
    change(broken)
    assert any(problem in p for p in checks.check_manifest(broken))


def test_manifest_requirement_matches_test_environment(manifest: dict) -> None:
    requirements = (checks.ROOT / "requirements_test.txt").read_text()
    for requirement in manifest["requirements"]:
        assert requirement in requirements


def test_hacs() -> None:
    hacs = checks.load_json(checks.ROOT / "hacs.json")
    assert checks.check_hacs(hacs) == []
    assert checks.check_hacs({**hacs, "homeassistant": "2024.1.0"})


def test_strings_identical_to_english(strings: dict) -> None:
    english = checks.load_json(INTEGRATION / "translations" / "en.json")
    assert english == strings


def test_french_has_the_same_keys_and_placeholders(strings: dict) -> None:
    french = checks.load_json(INTEGRATION / "translations" / "fr.json")
    assert checks.check_translation(strings, french, "fr") == []


def test_translation_check_bites(strings: dict) -> None:
    french = dict(
        checks.flatten(checks.load_json(INTEGRATION / "translations" / "fr.json"))
    )
    missing_one = dict(french)
    missing_one.pop(next(iter(missing_one)))
    problems = checks.check_translation(strings, checks.unflatten(missing_one), "fr")
    assert any("missing" in p for p in problems)

    with_placeholder = next(
        k for k, v in checks.flatten(strings) if checks.PLACEHOLDER.search(str(v))
    )
    no_placeholder = {**french, with_placeholder: "sans paramètre"}
    problems = checks.check_translation(strings, checks.unflatten(no_placeholder), "fr")
    assert f"fr: placeholders differ in {with_placeholder}" in problems

    key = "config.step.senscritique_read_only.data_description.senscritique_username"
    with_html = {**french, key: "L'adresse senscritique.com/<nom>."}
    problems = checks.check_translation(strings, checks.unflatten(with_html), "fr")
    assert problems == [f"fr: HTML in {key}"]


def test_services_strings_and_icons_agree(strings: dict) -> None:
    services = checks.load_yaml(INTEGRATION / "services.yaml")
    icons = checks.load_json(INTEGRATION / "icons.json")
    assert checks.check_services(services, strings, icons) == []
    assert services, "services.yaml declares no service"
    name = next(iter(services))
    broken_icons = copy.deepcopy(icons)
    del broken_icons["services"][name]
    assert checks.check_services(services, strings, broken_icons)
    broken_strings = copy.deepcopy(strings)
    del broken_strings["services"][name]
    assert checks.check_services(services, broken_strings, icons)


def test_coverage_claim_matches_the_test_command() -> None:
    scale = checks.load_yaml(INTEGRATION / "quality_scale.yaml")
    script = (checks.ROOT / "scripts" / "test").read_text()
    assert checks.check_coverage_claim(scale, script) == []
    done = {"rules": {"test-coverage": "done"}}
    assert checks.check_coverage_claim(done, "pytest --cov-fail-under=90")
    assert checks.check_coverage_claim(done, "pytest --cov")
    assert not checks.check_coverage_claim({"rules": {"test-coverage": "todo"}}, "")


def test_quality_scale_lists_every_real_rule() -> None:
    known = checks.known_quality_rules()
    assert len(known) >= 50
    scale = checks.load_yaml(INTEGRATION / "quality_scale.yaml")
    assert checks.check_quality_scale(scale, known) == []

    broken = copy.deepcopy(scale)
    broken["rules"]["made-up-rule"] = "done"
    assert "unknown quality rule made-up-rule" in checks.check_quality_scale(
        broken, known
    )
    first = next(iter(broken["rules"]))
    broken["rules"][first] = "maybe"
    assert any("invalid status" in p for p in checks.check_quality_scale(broken, known))


def test_brand_icons_are_in_the_brands_format(tmp_path: Path) -> None:
    assert checks.check_brand_icons(INTEGRATION / "brand") == []
    Image.new("RGBA", (128, 128)).save(tmp_path / "icon.png")
    margin = Image.new("RGBA", (512, 512))
    margin.paste((1, 2, 3, 255), (10, 10, 502, 502))
    margin.save(tmp_path / "icon@2x.png")
    assert checks.check_brand_icons(tmp_path) == [
        "icon.png must be a 256x256 PNG, is PNG (128, 128)",
        "icon@2x.png must be trimmed (no empty margin)",
    ]
