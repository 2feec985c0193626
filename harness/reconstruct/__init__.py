"""Folding run streams into final runs, run steps and messages, with protocol diagnostics."""

from harness.reconstruct.folder import StreamFolder, reconstruct
from harness.reconstruct.transcript import EventRecord, Transcript

__all__ = ["EventRecord", "StreamFolder", "Transcript", "reconstruct"]
