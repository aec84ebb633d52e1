"""Every command explains itself: --help works and says what the command does."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from aicoop.cli import COMMANDS, cli


def all_commands() -> list[tuple[str, ...]]:
    ctx = click.Context(cli)
    out = []
    for name in sorted(COMMANDS):
        cmd = cli.get_command(ctx, name)
        assert cmd is not None, f"kg {name} cannot be imported"
        out.append((name,))
        if isinstance(cmd, click.Group):
            sub_ctx = click.Context(cmd, parent=ctx)
            out.extend((name, sub) for sub in cmd.list_commands(sub_ctx))
    return out


@pytest.mark.parametrize("path", all_commands(), ids=" ".join)
def test_every_command_has_help(path):
    res = CliRunner().invoke(cli, [*path, "--help"])
    assert res.exit_code == 0, res.output
    assert res.output.startswith(f"Usage: cli {' '.join(path)}")
    summary = res.output.split("\n\n", 2)[1].strip()
    assert len(summary) > 20, f"kg {' '.join(path)} has no description"


def test_top_level_help_lists_every_command():
    res = CliRunner().invoke(cli, ["--help"])
    for name in COMMANDS:
        assert f"  {name} " in res.output
