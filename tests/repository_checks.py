"""Repository rules Home Assistant's hassfest does not check.

hassfest itself runs from scripts/test (manifest schema and key order,
requirement format, strings.json and translations/en.json, services.yaml,
icons.json, JSON validity). What is left here: our own facts in the manifest
and hacs.json (HACS reads hacs.json, hassfest does not), the French
translation (hassfest reads only English), service names and icons (hassfest
requires them of core integrations only), quality_scale.yaml (hassfest skips
it for custom integrations) and the brand icon.

Each check takes parsed data (or a path) and returns a list of problems, so a
test can run it on the real files and, to prove it bites, on a broken copy.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import homeassistant
import voluptuous as vol
import yaml
from homeassistant.helpers import config_validation as cv
from PIL import Image

from custom_components.plexsync.const import MIN_PLEXAPI_VERSION

ROOT = Path(__file__).resolve().parent.parent
INTEGRATION = ROOT / "custom_components" / "plexsync"

MANIFEST_FACTS = {
    "domain": "plexsync",
    "name": "PlexSync",
    "config_flow": True,
    "integration_type": "service",
    "iot_class": "cloud_polling",
    "loggers": ["plexapi"],
}
HACS_KEYS = {"name", "homeassistant", "render_readme"}
QUALITY_STATUSES = {"done", "todo", "exempt"}
PLACEHOLDER = re.compile(r"\{(\w+)\}")
COVERAGE_GATE = re.compile(r"--cov-fail-under[= ](\d+)")


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def check_manifest(manifest: Mapping[str, Any]) -> list[str]:
    """Our values; plexapi required from the oldest version tested, unpinned
    (Home Assistant's own Plex integration pins it: a pin of ours would fight)."""
    problems = [
        f"manifest {key} must be {value!r}"
        for key, value in MANIFEST_FACTS.items()
        if manifest.get(key) != value
    ]
    requirements = [r.replace(" ", "") for r in manifest.get("requirements", [])]
    wanted = f"plexapi>={MIN_PLEXAPI_VERSION}"
    if wanted not in requirements:
        problems.append(f"manifest must require {wanted} (const.MIN_PLEXAPI_VERSION)")
    if any("==" in r for r in requirements):
        problems.append("manifest requirements must not pin exact versions")
    return problems


def check_hacs(hacs: Mapping[str, Any]) -> list[str]:
    problems = []
    if unknown := set(hacs) - HACS_KEYS - {"country", "zip_release", "filename"}:
        problems.append(f"hacs.json has unknown keys {sorted(unknown)}")
    if hacs.get("name") != "PlexSync":
        problems.append("hacs.json name must be PlexSync")
    if hacs.get("homeassistant") != "2025.4.0":
        problems.append('hacs.json homeassistant must be "2025.4.0"')
    if hacs.get("render_readme") is not True:
        problems.append("hacs.json render_readme must be true")
    return problems


def flatten(tree: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in tree.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, Mapping):
            yield from flatten(value, path)
        else:
            yield path, value


def unflatten(flat: Mapping[str, Any]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for key, value in flat.items():
        node = tree
        *parents, leaf = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return tree


def check_translation(
    strings: Mapping[str, Any], translation: Mapping[str, Any], language: str
) -> list[str]:
    """Same keys as strings.json, the same placeholders in each string, and
    no HTML (hassfest's rule for English, which it does not apply here)."""
    source = dict(flatten(strings))
    target = dict(flatten(translation))
    problems = [
        f"{language}: missing {key}" for key in sorted(source.keys() - target.keys())
    ]
    problems += [
        f"{language}: extra {key}" for key in sorted(target.keys() - source.keys())
    ]
    for key in sorted(source.keys() & target.keys()):
        if set(PLACEHOLDER.findall(str(source[key]))) != set(
            PLACEHOLDER.findall(str(target[key]))
        ):
            problems.append(f"{language}: placeholders differ in {key}")
        if not str(target[key]).strip():
            problems.append(f"{language}: empty text for {key}")
        try:
            cv.string_with_no_html(target[key])
        except vol.Invalid:
            problems.append(f"{language}: HTML in {key}")
    return problems


def check_services(
    services: Mapping[str, Any] | None,
    strings: Mapping[str, Any],
    icons: Mapping[str, Any],
) -> list[str]:
    """Every action and field named and described, and every action iconed,
    as hassfest requires of core integrations."""
    declared = services or {}
    translated = strings.get("services", {})
    iconed = icons.get("services", {})
    problems = []
    for name in sorted(set(declared) | set(translated) | set(iconed)):
        if name not in declared:
            problems.append(f"service {name} is not in services.yaml")
            continue
        if name not in iconed:
            problems.append(f"service {name} has no icon in icons.json")
        text = translated.get(name)
        if not text or not text.get("name") or not text.get("description"):
            problems.append(f"service {name} lacks a name or description in strings")
            continue
        fields = (declared[name] or {}).get("fields", {}) or {}
        for field in fields:
            entry = text.get("fields", {}).get(field, {})
            if not entry.get("name") or not entry.get("description"):
                problems.append(f"service {name} field {field} is not translated")
    return problems


def known_quality_rules() -> set[str]:
    """Every rule name, as core integrations' quality_scale.yaml files list them."""
    components = Path(homeassistant.__file__).parent / "components"
    rules: set[str] = set()
    for path in components.glob("*/quality_scale.yaml"):
        rules.update(load_yaml(path)["rules"])
    return rules


def rule_status(value: Any) -> Any:
    return value.get("status") if isinstance(value, Mapping) else value


def check_quality_scale(scale: Mapping[str, Any], known: set[str]) -> list[str]:
    rules = scale.get("rules", {})
    problems = [f"unknown quality rule {name}" for name in sorted(set(rules) - known)]
    problems += [
        f"quality rule {name} not listed" for name in sorted(known - set(rules))
    ]
    for name, value in rules.items():
        status = rule_status(value)
        if status not in QUALITY_STATUSES:
            problems.append(f"quality rule {name} has invalid status {status!r}")
        if status == "exempt" and not (
            isinstance(value, Mapping) and value.get("comment")
        ):
            problems.append(f"quality rule {name} is exempt without a comment")
    return problems


def check_coverage_claim(scale: Mapping[str, Any], test_script: str) -> list[str]:
    """test-coverage is done only while the test command enforces > 95 %."""
    if rule_status(scale.get("rules", {}).get("test-coverage")) != "done":
        return []
    gates = [int(found) for found in COVERAGE_GATE.findall(test_script)]
    if not gates or min(gates) < 95:
        return [
            "quality rule test-coverage is done but scripts/test does not enforce 95 %"
        ]
    return []


# Home Assistant's brands format: square PNGs of these sizes, transparent
# around the tile, trimmed (the drawing touches every edge).
BRAND_ICONS = {"icon.png": 256, "icon@2x.png": 512}


def check_brand_icons(folder: Path) -> list[str]:
    problems: list[str] = []
    for name, size in BRAND_ICONS.items():
        path = folder / name
        if not path.is_file():
            problems.append(f"{name} is missing")
            continue
        with Image.open(path) as image:
            if image.format != "PNG" or image.size != (size, size):
                problems.append(
                    f"{name} must be a {size}x{size} PNG, is {image.format} {image.size}"
                )
                continue
            if image.mode != "RGBA" or image.getpixel((0, 0))[3] != 0:
                problems.append(f"{name} must be transparent around its tile")
            if image.getbbox() != (0, 0, size, size):
                problems.append(f"{name} must be trimmed (no empty margin)")
    return problems
