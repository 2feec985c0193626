"""Print pip constraints pinning every declared dependency to its declared minimum.

``python .ci/floors.py > floors.txt`` then ``pip install -e '.[test]' -c floors.txt`` installs the
oldest versions pyproject.toml claims to support, so the suite proves the floors it declares.
Only the code-quality tools are left out: they check the code, on the newest versions.
"""

from __future__ import annotations

import sys
from pathlib import Path

from packaging.requirements import Requirement

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


def main() -> int:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    sys.stdout.write("".join(f"{pin}\n" for pin in floor_pins(project)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
