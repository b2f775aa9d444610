"""Voiceover blocks read from the source text (``ast``, no rendering).

This sees only texts made of string literals: an f-string or a text built at
run time is listed in ``skipped``. The narration script therefore does not
use it (it collects what the scenes really say: `scenes.kit.narration.script`).
It is kept for the build's input hash, which must be cheap and is
conservative: when a chapter has a non-literal block, every recording counts.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from scenes.kit.narration.blocks import block_id, plain_text

__all__ = ["ScriptBlock", "extract_blocks"]


@dataclass(frozen=True)
class ScriptBlock:
    """One ``voiceover(text=...)`` block found in a scene file."""

    file: Path
    line: int
    scene: str  # enclosing class name, "" at module level
    text: str  # bookmarks removed, whitespace collapsed

    @property
    def id(self) -> str:
        return block_id(self.text)

    @property
    def filename(self) -> str:
        return f"{self.id}.wav"


def _literal(node: ast.AST) -> str | None:
    """The value of a string built only from literals, else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value  # implicit concatenation is already folded here
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal(node.left), _literal(node.right)
        if left is not None and right is not None:
            return left + right
    if isinstance(node, ast.JoinedStr) and all(isinstance(v, ast.Constant) for v in node.values):
        return "".join(str(v.value) for v in node.values)  # type: ignore[attr-defined]
    return None


class _Finder(ast.NodeVisitor):
    def __init__(self, path: Path) -> None:
        self.path = path
        self.classes: list[str] = []
        self.blocks: list[ScriptBlock] = []
        self.skipped: list[str] = []

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.classes.append(node.name)
        self.generic_visit(node)
        self.classes.pop()

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "voiceover":
            arg = next((k.value for k in node.keywords if k.arg == "text"), None)
            if arg is None and node.args:
                arg = node.args[0]
            if arg is not None:
                value = _literal(arg)
                if value is None:
                    self.skipped.append(f"{self.path}:{node.lineno}: text is not a string literal")
                else:
                    scene = self.classes[-1] if self.classes else ""
                    self.blocks.append(ScriptBlock(self.path, node.lineno, scene, plain_text(value)))
        self.generic_visit(node)


def extract_blocks(files: Iterable[str | os.PathLike[str]], skipped: list[str] | None = None) -> list[ScriptBlock]:
    """All literal ``<obj>.voiceover(text=...)`` blocks of ``files``, in file
    order then source order. Non-literal texts are listed in ``skipped``."""
    blocks: list[ScriptBlock] = []
    for f in files:
        path = Path(f)
        finder = _Finder(path)
        finder.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        blocks.extend(finder.blocks)
        if skipped is not None:
            skipped.extend(finder.skipped)
    return blocks
