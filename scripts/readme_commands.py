#!/usr/bin/env python3
"""Write the README's command table from `genco`'s own help, so the two cannot drift apart.

Run from anywhere:
    python scripts/readme_commands.py            rewrite README.md between the markers
    python scripts/readme_commands.py --check    exit 1 (and say so) when the table is out of date

The table sits between `<!-- commands: start -->` and `<!-- commands: end -->`: one row per
command and subcommand, in the order `genco --help` lists them, with its arguments and the one-line
summary `genco --help` shows (its `short_help`, or else the first sentence of its help). Only the click command tree is imported (no model, no torch), so this takes
a fraction of a second. tests/test_readme.py fails when README.md differs from what this writes.
"""

from __future__ import annotations

import argparse
import inspect
import re
import sys
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
START = "<!-- commands: start -->"
END = "<!-- commands: end -->"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`(])")


def first_sentence(help_text: str | None) -> str:
    """The first sentence of a command's help: its first paragraph, on one line, up to the first full stop."""
    paragraph = inspect.cleandoc(help_text or "").split("\n\n")[0].replace("\b", "")
    return _SENTENCE_END.split(" ".join(paragraph.split()), maxsplit=1)[0]


def _arguments(command: click.Command, ctx: click.Context) -> list[str]:
    """The usage line's pieces without `[OPTIONS]` and, for a group, without its subcommand slot."""
    pieces = command.collect_usage_pieces(ctx)
    skip = {"[OPTIONS]"}
    if isinstance(command, click.Group):
        skip |= {command.subcommand_metavar or "", "COMMAND [ARGS]...", "[COMMAND] [ARGS]..."}
    return [piece for piece in pieces if piece not in skip]


def command_rows(group: click.Group | None = None, path: tuple[str, ...] = ("genco",),
                 parent: click.Context | None = None) -> list[tuple[str, str]]:
    """(command with its arguments, its one-line summary) for every command under `group`."""
    if group is None:
        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))
        from genco_interview.cli import cli

        group = cli
    ctx = click.Context(group, info_name=path[-1], parent=parent)
    rows = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        sub = click.Context(command, info_name=name, parent=ctx)
        summary = command.short_help or first_sentence(command.help)
        rows.append((" ".join([*path, name, *_arguments(command, sub)]), summary))
        if isinstance(command, click.Group):
            rows.extend(command_rows(command, (*path, name), ctx))
    return rows


def table() -> str:
    """The Markdown table, markers included, exactly as it belongs in the README."""
    lines = [START, "| command | what it does |", "| --- | --- |"]
    for usage, summary in command_rows():
        lines.append(f"| `{usage}` | {summary.replace('|', chr(92) + '|')} |")
    lines.append(END)
    return "\n".join(lines)


def current_table(text: str) -> str:
    """The README's table as it stands, markers included; ValueError when a marker is missing."""
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"README.md needs the markers {START} and {END}, in that order")
    return text[start:end + len(END)]


def rewrite(text: str) -> str:
    """The README text with its table replaced by the generated one."""
    old = current_table(text)
    return text.replace(old, table(), 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when README.md is out of date")
    parser.add_argument("--readme", type=Path, default=README, help="the file to rewrite (default: README.md)")
    args = parser.parse_args(argv)
    text = args.readme.read_text(encoding="utf-8")
    new = rewrite(text)
    if args.check:
        if new != text:
            print(f"{args.readme}: the command table is out of date; run python scripts/readme_commands.py",
                  file=sys.stderr)
            return 1
        return 0
    if new != text:
        args.readme.write_text(new, encoding="utf-8")
        print(f"{args.readme}: command table rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
