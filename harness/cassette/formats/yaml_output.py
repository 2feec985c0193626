"""Writing YAML people can read: multi-line strings (event streams) as literal blocks."""

from __future__ import annotations

from typing import Any

import yaml


class _ReadableDumper(yaml.SafeDumper):
    pass


# Unicode line breaks: PyYAML would write them raw, and readers then fold them into spaces.
_UNICODE_BREAKS = ("\x85", "\u2028", "\u2029")


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    # PyYAML falls back to a quoted style by itself when a block cannot hold the text exactly.
    style = "|" if "\n" in text else None
    if any(mark in text for mark in _UNICODE_BREAKS):
        style = '"'  # the only style that escapes them
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_ReadableDumper.add_representer(str, _represent_str)


def dump_yaml(document: Any) -> bytes:
    text: str = yaml.dump(document, Dumper=_ReadableDumper, sort_keys=False, allow_unicode=True, width=120)
    return text.encode("utf-8")
