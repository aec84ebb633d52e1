"""The ``kg`` command line. Commands live in ``aicoop.commands.*`` and are imported only when
invoked, so ``kg --help`` stays fast."""

from __future__ import annotations

import importlib

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
    "mapping": "aicoop.commands.mapping:mapping",
    "annotate": "aicoop.commands.text:annotate",
    "bridges": "aicoop.commands.analysis:bridges",
    "leads": "aicoop.commands.analysis:leads",
    "trend": "aicoop.commands.analysis:trend",
    "paths": "aicoop.commands.analysis:paths",
    "complementarity": "aicoop.commands.analysis:complementarity",
    "gaps": "aicoop.commands.analysis:gaps",
    "report": "aicoop.commands.report:report",
    "pathways": "aicoop.commands.pathways:pathways",
    "states": "aicoop.commands.states:states",
    "network": "aicoop.commands.network:network",
    "publish": "aicoop.commands.publish:publish",
    "serve": "aicoop.commands.serve:serve",
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
                mod = importlib.import_module(module)
            except ModuleNotFoundError as exc:
                if exc.name == module:  # a command not built in this version
                    return None
                raise
            return getattr(mod, attr)
        return super().get_command(ctx, name)


class KgGroup(LazyGroup):
    """The root group: library errors become one line on stderr and the error's exit code
    (tracebacks only with ``--debug``)."""

    def invoke(self, ctx: click.Context):
        from .errors import KgError
        try:
            return super().invoke(ctx)
        except KgError as exc:
            if ctx.obj is not None and getattr(ctx.obj, "debug", False):
                raise
            click.echo(f"kg: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except BrokenPipeError:
            ctx.exit(0)
        except KeyboardInterrupt:
            # every write is atomic, so an interrupt leaves the store as it was
            click.echo("kg: interrupted; the store is unchanged by the unfinished work",
                       err=True)
            ctx.exit(130)


@click.group(cls=KgGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
@click.option("--store", "store", metavar="PATH|URL", envvar="KG_STORE",
              help="Store location: a folder (embedded store) or a SPARQL endpoint URL "
                   "(Oxigraph server base URL, or Fuseki http://host:3030/dataset). "
                   "Default: $KG_STORE, else ~/.local/share/aicoop/store.")
@click.option("--wait", "wait", type=click.FloatRange(min=0), default=0, metavar="SECONDS",
              help="When another kg process is writing to the store, wait up to this long "
                   "for it to finish instead of failing at once.")
@click.option("--remote-timeout", type=click.FloatRange(min=0, min_open=True), default=60,
              show_default=True, metavar="SECONDS", envvar="KG_REMOTE_TIMEOUT",
              help="Time limit of each request to a remote SPARQL endpoint.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bars (they are shown only on a "
              "terminal anyway).")
@click.option("--debug", is_flag=True, help="Show tracebacks on errors.")
@click.pass_context
def cli(ctx: click.Context, store: str | None, wait: float, remote_timeout: float,
        quiet: bool, debug: bool) -> None:
    """kg: which international institutions bridge AI policy, domain by domain.

    \b
    Examples:
      kg bridges --domain health
      kg paths --from NATO --to WHO --avoid-security
      kg query --list
    """
    from . import progress
    from .commands.context import Context
    progress.QUIET = quiet
    ctx.obj = Context(store_location=store, debug=debug, wait=wait,
                      remote_timeout=remote_timeout)


def main() -> None:
    """Entry point of the ``kg`` console script."""
    cli(prog_name="kg")


if __name__ == "__main__":
    main()
