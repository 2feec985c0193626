"""Enumerate and apply mutants of one Python module, by walking its ``ast``.

Operators: comparison, arithmetic, boolean, constant, slice, statement deletion, break/continue and
min/max. A mutant is identified by a key that survives edits elsewhere in the file (the enclosing
function, the text of the mutated line and the change), so the reviewed equivalents file stays valid.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass

COMPARISONS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
ARITHMETIC: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.FloorDiv,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Mult,
    ast.Mod: ast.FloorDiv,
    ast.Pow: ast.Mult,
    ast.LShift: ast.RShift,
    ast.RShift: ast.LShift,
    ast.BitOr: ast.BitAnd,
    ast.BitAnd: ast.BitOr,
    ast.BitXor: ast.BitOr,
}
SYMBOLS: dict[type[ast.AST], str] = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Pow: "**",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitAnd: "&",
    ast.BitXor: "^",
    ast.And: "and",
    ast.Or: "or",
}
# statements whose deletion only breaks the import (trivially killed) or cannot change behaviour
_UNDELETABLE = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.Import,
    ast.ImportFrom,
    ast.Pass,
    ast.Global,
    ast.Nonlocal,
)


@dataclass(frozen=True)
class Mutant:
    """One change to the module: ``key`` is stable, ``index`` locates it in this version of the source."""

    index: int
    operator: str
    line: int
    statement_line: int
    key: str
    description: str


Apply = Callable[[ast.AST], None]
_UNWRAP = "_mutation_unwrap"


class _Unwrap(ast.NodeTransformer):
    """Replace a ``not x`` marked by its mutant with ``x``."""

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
        self.generic_visit(node)
        return node.operand if getattr(node, _UNWRAP, False) else node


@dataclass(frozen=True)
class _Site:
    node_index: int
    operator: str
    description: str
    line: int
    apply: Apply


def _skipped_nodes(tree: ast.Module) -> set[int]:
    """Ids of nodes never mutated: annotations, docstrings, ``TYPE_CHECKING`` blocks, ``__all__``."""
    skipped: set[int] = set()

    def skip(node: ast.AST | None) -> None:
        if node is not None:
            skipped.update(id(child) for child in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, ast.arg | ast.AnnAssign):
            skip(node.annotation)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            skip(node.returns)
            for decorator in node.decorator_list:
                skip(decorator)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                skip(body[0])
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip(node)
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets
        ):
            skip(node)
        if isinstance(node, ast.JoinedStr):
            skip(node)
            # the expressions inside an f-string are still code
            skipped.difference_update(
                id(child)
                for value in node.values
                if isinstance(value, ast.FormattedValue)
                for child in ast.walk(value.value)
            )
    return skipped


def _sites(tree: ast.Module) -> Iterator[_Site]:
    skipped = _skipped_nodes(tree)
    for index, node in enumerate(ast.walk(tree)):
        if id(node) in skipped:
            continue
        yield from _node_sites(index, node)


def _set(field: str, value: object) -> Apply:
    def apply(node: ast.AST) -> None:
        setattr(node, field, value)

    return apply


def _node_sites(index: int, node: ast.AST) -> Iterator[_Site]:
    line = getattr(node, "lineno", 0)
    if isinstance(node, ast.Compare):
        for position, op in enumerate(node.ops):
            replacement = COMPARISONS.get(type(op))
            if replacement is not None:

                def swap(target: ast.AST, position: int = position, replacement: type = replacement) -> None:
                    assert isinstance(target, ast.Compare)
                    target.ops[position] = replacement()

                yield _Site(
                    index, "comparison", f"`{SYMBOLS[type(op)]}` -> `{SYMBOLS[replacement]}`", line, swap
                )
    elif isinstance(node, ast.BinOp | ast.AugAssign):
        arithmetic = ARITHMETIC.get(type(node.op))
        if arithmetic is not None:
            change = f"`{SYMBOLS[type(node.op)]}` -> `{SYMBOLS[arithmetic]}`"
            yield _Site(index, "arithmetic", change, line, _set("op", arithmetic()))
    elif isinstance(node, ast.BoolOp):
        flipped = ast.Or if isinstance(node.op, ast.And) else ast.And
        change = f"`{SYMBOLS[type(node.op)]}` -> `{SYMBOLS[flipped]}`"
        yield _Site(index, "boolean", change, line, _set("op", flipped()))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield _Site(index, "boolean", "`not x` -> `x`", line, _set(_UNWRAP, True))
    elif isinstance(node, ast.Constant):
        yield from _constant_sites(index, node, line)
    elif isinstance(node, ast.Slice):
        for bound in ("lower", "upper", "step"):
            if getattr(node, bound) is not None:
                yield _Site(index, "slice", f"drop the slice's {bound} bound", line, _set(bound, None))
    elif isinstance(node, ast.Break):
        yield _Site(index, "break/continue", "`break` -> `continue`", line, _replace_statement(ast.Continue))
    elif isinstance(node, ast.Continue):
        yield _Site(index, "break/continue", "`continue` -> `break`", line, _replace_statement(ast.Break))
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("min", "max"):
        other = "max" if node.func.id == "min" else "min"
        yield _Site(
            index,
            "min/max",
            f"`{node.func.id}` -> `{other}`",
            line,
            _set("func", ast.Name(other, ast.Load())),
        )
    if not isinstance(node, ast.Module):
        yield from _deletion_sites(index, node)


def _constant_sites(index: int, node: ast.Constant, line: int) -> Iterator[_Site]:
    value = node.value
    if isinstance(value, bool):
        yield _Site(index, "constant", f"`{value}` -> `{not value}`", line, _set("value", not value))
    elif isinstance(value, int | float):
        yield _Site(index, "constant", f"`{value!r}` -> `{value + 1!r}`", line, _set("value", value + 1))
    elif isinstance(value, str):
        mutated = "" if value else "XX"
        yield _Site(index, "constant", f"`{value[:40]!r}` -> `{mutated!r}`", line, _set("value", mutated))
    elif isinstance(value, bytes):
        mutated_bytes = b"" if value else b"XX"
        yield _Site(
            index, "constant", f"`{value[:40]!r}` -> `{mutated_bytes!r}`", line, _set("value", mutated_bytes)
        )


def _replace_statement(kind: type[ast.stmt]) -> Apply:
    def apply(node: ast.AST) -> None:
        node.__class__ = kind

    return apply


def _deletion_sites(index: int, node: ast.AST) -> Iterator[_Site]:
    """Statement deletion: a statement in a function body (or below it) becomes ``pass``."""
    for field in ("body", "orelse", "finalbody"):
        statements = getattr(node, field, None)
        if not isinstance(statements, list):
            continue
        for position, statement in enumerate(statements):
            if isinstance(statement, _UNDELETABLE) or (
                isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
            ):
                continue

            def delete(target: ast.AST, field: str = field, position: int = position) -> None:
                body = getattr(target, field)
                body[position] = ast.copy_location(ast.Pass(), body[position])

            first_line = ast.unparse(statement).splitlines()[0][:60]
            yield _Site(index, "statement deletion", f"delete `{first_line}`", statement.lineno, delete)


def _qualnames(tree: ast.Module) -> dict[int, str]:
    """Line -> the qualified name of the innermost function or class around it."""
    names: dict[int, str] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = f"{prefix}{child.name}"
                for line in range(child.lineno, (child.end_lineno or child.lineno) + 1):
                    names[line] = name
                visit(child, name + ".")
            else:
                visit(child, prefix)

    visit(tree, "")
    return names


def _statement_lines(tree: ast.Module) -> dict[int, int]:
    """Line -> first line of the innermost statement holding it (coverage reports statements)."""
    first: dict[int, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt):
            for line in range(node.lineno, (node.end_lineno or node.lineno) + 1):
                first[line] = node.lineno
    return first


def mutants(source: str, path: str) -> list[Mutant]:
    """Every mutant of ``source``, in a stable order, each with a key unique within the file."""
    tree = ast.parse(source)
    lines = source.splitlines()
    names = _qualnames(tree)
    statements = _statement_lines(tree)
    seen: dict[str, int] = {}
    found: list[Mutant] = []
    sites = list(_sites(tree))
    # only function bodies get statement deletion; module-level deletions only break the import
    for number, site in enumerate(sites):
        if site.operator == "statement deletion" and site.line not in names:
            continue
        text = lines[site.line - 1].strip() if 0 < site.line <= len(lines) else ""
        base = f"{path} | {names.get(site.line, '<module>')} | {text} | {site.description}"
        seen[base] = seen.get(base, 0) + 1
        key = base if seen[base] == 1 else f"{base}#{seen[base]}"
        statement = statements.get(site.line, site.line)
        found.append(Mutant(number, site.operator, site.line, statement, key, site.description))
    return found


def mutated_tree(source: str, mutant: Mutant) -> ast.Module:
    """The module's tree with ``mutant`` applied (line numbers kept, so tracebacks point at the source)."""
    tree = ast.parse(source)
    site = list(_sites(tree))[mutant.index]
    nodes = list(ast.walk(tree))
    site.apply(nodes[site.node_index])
    unwrapped = _Unwrap().visit(tree)
    assert isinstance(unwrapped, ast.Module)
    return ast.fix_missing_locations(unwrapped)
