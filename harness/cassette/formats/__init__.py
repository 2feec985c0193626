"""Cassette file formats: the harness's own, and the ones users already hold (read and written)."""

from harness.errors import HarnessError


class ExportError(HarnessError):
    """A cassette that the chosen export format cannot represent (e.g. binary data in vcrpy JSON)."""
