"""``kg serve``: the published graph, live, over HTTP (see ``app`` for the routes and
``backend`` for where the data comes from and why a load cannot disturb it)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..store.base import Store


@contextmanager
def prepared_app(store: Store, *, base: str, timeout_s: float, max_result_bytes: int,
                 workers: int = 2, public_url: str = "", progress: Callable[[str], None] = lambda m: None
                 ) -> Iterator[tuple["object", "object"]]:
    """The WSGI application over a snapshot of ``store``; the snapshot and the SPARQL
    worker processes are removed when the block ends. ``store`` may be closed once this has started."""
    from ..publish.graph import entailed_graph
    from ..publish.site import graph_titles, resource_documents
    from .app import App, Service, Settings
    from .backend import take_snapshot
    from .workers import QueryPool
    folder = Path(tempfile.mkdtemp(prefix="kg-serve-"))
    pool = None
    try:
        progress(f"taking a snapshot of the store into {folder}")
        snap = take_snapshot(store, folder / "store", base=base)
        progress(f"starting {workers} SPARQL worker processes")
        pool = QueryPool(str(folder / "store"), size=workers, timeout_s=timeout_s,
                         max_bytes=max_result_bytes)
        settings = Settings(base=base, timeout_s=timeout_s,
                            max_result_bytes=max_result_bytes, public_url=public_url)
        titles = graph_titles(snap.pages, base)
        titles.setdefault(entailed_graph(base), "Standard statements (entailed)")
        service = Service(settings=settings, pages=snap.pages, analysis=snap.analysis,
                          graph=snap.graph, pool=pool, docs=LazyDocs(), sources=dict(snap.graph.sources),
                          fragments=resource_documents(snap.graph.quads, base), titles=titles)
        yield App(service), pool
    finally:
        if pool is not None:
            pool.close()
        shutil.rmtree(folder, ignore_errors=True)


class LazyDocs(dict):
    """The pyLODE pages, generated on the first request for one (a few seconds)."""

    def get(self, key, default=None):  # type: ignore[override]
        if not self:
            from ..publish.docs import documentation_pages
            from ..publish.pages import templates
            pages = documentation_pages()
            for p in pages:
                self[p.path] = p.html
            vocab = [(p.title, "/" + p.path) for p in pages if p.path.startswith("docs/vocab/")]
            from ..publish.pages import SiteLinks
            links = SiteLinks(base="", href_for_path=lambda p: "/" + p,
                              asset=lambda p: "/" + p, sparql="/sparql", live=True)
            self["docs/vocabularies.html"] = templates().get_template(
                "vocabularies.html").render(title="Vocabularies", vocab=vocab, links=links)
        return super().get(key, default)


def serve_forever(app, host: str, port: int, *, on_ready: Callable[[str], None]) -> None:
    """Serve ``app`` with werkzeug's threaded server until interrupted."""
    import signal
    import threading

    from werkzeug.serving import make_server
    server = make_server(host, port, app, threaded=True)

    def stop(signum, frame):  # SIGTERM ends like Ctrl-C, so the snapshot is removed
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)
    on_ready(f"http://{host}:{server.server_port}")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
