"""``harness diff --conversation OLD NEW``: do two cassettes tell the same conversation?

The two may speak different protocols (an Assistants run cassette and the
Responses cassette of the same test after migrating): each is read into the
protocol-neutral view of :mod:`harness.conversation` (messages, tool calls with
their parsed arguments, tool outputs, final status) and the views compared.
Exit 0 and one line when they agree; exit 1 and a readable report when not.
"""

from __future__ import annotations

from harness.cassette.model import Cassette
from harness.cli.errors import CommandError
from harness.conversation import ConversationView, MixedProtocols, conversation_of, differences


def run(first: tuple[str, Cassette], second: tuple[str, Cassette]) -> int:
    (old_name, old), (new_name, new) = _view(*first), _view(*second)
    report = differences(old, new, old_name, new_name)
    if not report:
        print(
            f"same conversation: {len(old.turns)} turns, final status {old.status} "
            f"({old_name}: {old.protocol}, {new_name}: {new.protocol})"
        )
        return 0
    print(f"{old_name} ({old.protocol}) and {new_name} ({new.protocol}) tell different conversations:")
    for line in report:
        print(line)
    return 1


def _view(name: str, cassette: Cassette) -> tuple[str, ConversationView]:
    try:
        return name, conversation_of(cassette)
    except MixedProtocols as error:
        raise CommandError(f"{name}: {error}", exit_code=2) from None
