"""The ``kg`` command line. Commands live in ``aicoop.commands.*`` and are imported only when
invoked, so ``kg --help`` stays fast."""

from __future__ import annotations

import importlib
import sys

import click

from . import __version__

# command name -> "module:attribute"; groups may be lazy too
COMMANDS: dict[str, str] = {
    "load": "aicoop.commands.load:load",
    "graphs": "aicoop.commands.store:graphs",
    "query": "aicoop.commands.query:query",
    "validate": "aicoop.commands.validate:validate",
    "derive": "aicoop.commands.derive:derive",
    "stats": "aicoop.commands.store:stats",
    "export": "aicoop.commands.store:export",
    "init": "aicoop.commands.store:init",
    "ontology": "aicoop.commands.ontology:ontology",
    "annotate": "aicoop.commands.text:annotate",
    "bridges": "aicoop.commands.analysis:bridges",
    "paths": "aicoop.commands.analysis:paths",
    "complementarity": "aicoop.commands.analysis:complementarity",
    "gaps": "aicoop.commands.analysis:gaps",
    "report": "aicoop.commands.report:report",
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def __init__(self, *args, lazy: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self.lazy))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy:
            module, attr = self.lazy[name].split(":")
            try:
                return getattr(importlib.import_module(module), attr)
            except (ImportError, AttributeError):
                return None
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
@click.option("--store", "store", metavar="PATH|URL", envvar="KG_STORE",
              help="Store location: a folder (embedded store) or a SPARQL endpoint URL "
                   "(Oxigraph server base URL, or Fuseki http://host:3030/dataset). "
                   "Default: $KG_STORE, else ~/.local/share/aicoop/store.")
@click.option("--debug", is_flag=True, help="Show tracebacks on errors.")
@click.pass_context
def cli(ctx: click.Context, store: str | None, debug: bool) -> None:
    """kg: which international institutions bridge AI policy, domain by domain.

    \b
    Examples:
      kg bridges --domain health
      kg paths --from NATO --to WHO --avoid-security
      kg query --list
    """
    from .commands.context import Context
    ctx.obj = Context(store_location=store, debug=debug)


def main() -> None:
    """Entry point: run the CLI, turning library errors into messages and exit codes."""
    from .errors import KgError
    debug = "--debug" in sys.argv
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except KgError as exc:
        if debug:
            raise
        click.echo(f"kg: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        sys.exit(0)
    sys.exit(0)


if __name__ == "__main__":
    main()
