"""Print pip constraints pinning every declared dependency to its declared minimum.

``python .ci/floors.py > floors.txt`` then ``pip install -e '.[test]' -c floors.txt`` installs the
oldest versions pyproject.toml claims to support, so the suite proves the floors it declares;
``python .ci/floors.py --check-installed`` then fails unless exactly those are installed. Only the
code-quality tools are left out: they check the code, on the newest versions.
"""

from __future__ import annotations

import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
EXTRAS = ("sdk", "test")
QUALITY_TOOLS = frozenset({"mypy", "ruff", "types-pyyaml"})


def floor_pins(project: dict[str, object]) -> list[str]:
    requirements = list(project["dependencies"])  # type: ignore[call-overload]
    extras = project["optional-dependencies"]
    for extra in EXTRAS:
        requirements += extras[extra]  # type: ignore[index]
    pins: dict[str, str] = {}
    for text in requirements:
        requirement = Requirement(text)
        key = requirement.name.lower().replace("_", "-")
        if key in QUALITY_TOOLS or key == "pytest-run-harness":
            continue
        floors = [spec.version for spec in requirement.specifier if spec.operator == ">="]
        if not floors:
            raise SystemExit(f"{text!r} declares no minimum version (>=): give it one")
        marker = f"; {requirement.marker}" if requirement.marker else ""
        pins[key] = f"{key}=={floors[0]}{marker}"
    return sorted(pins.values())


def installed_mismatches(pins: list[str]) -> list[str]:
    """The pins (for this Python) that the environment does not hold exactly."""
    wrong = []
    for pin in pins:
        requirement = Requirement(pin)
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        (wanted,) = (Version(spec.version) for spec in requirement.specifier)
        try:
            found = version(requirement.name)
        except PackageNotFoundError:
            found = "not installed"
        if found == "not installed" or Version(found) != wanted:
            wrong.append(f"{requirement.name}: wanted {wanted}, found {found}")
    return wrong


def main() -> int:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = floor_pins(project)
    if sys.argv[1:] == ["--check-installed"]:
        wrong = installed_mismatches(pins)
        for line in wrong:
            print(f"floors: {line}", file=sys.stderr)
        return 1 if wrong else 0
    sys.stdout.write("".join(f"{pin}\n" for pin in pins))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
