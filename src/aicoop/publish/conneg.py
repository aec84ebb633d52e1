"""Content-negotiation rules for the published site: Apache, nginx, and the w3id.org redirects.

Each resource IRI ``<base>PATH`` is published as ``PATH.html``, ``PATH.ttl``, ``PATH.jsonld``
and ``PATH.nt``; the rules serve the one the client's ``Accept`` header asks for (HTML for a
browser and by default) with ``Vary: Accept``. Pure: text in, text out.
"""

from __future__ import annotations

#: (media type as it appears in Accept headers, regex-escaped; extension) in rule order
NEGOTIATED = (
    ("text/turtle", "ttl"),
    ("application/ld\\+json", "jsonld"),
    ("application/n-triples", "nt"),
)
PLACEHOLDER_SITE = "https://site.invalid/aicoop/"


def apache_htaccess() -> str:
    """``.htaccess`` for the site root (needs mod_rewrite, mod_headers, mod_mime)."""
    lines = [
        "# Content negotiation for the aicoop linked-data site (written by kg publish).",
        "# Needs mod_rewrite, mod_headers and mod_mime; AllowOverride FileInfo.",
        "Options -MultiViews",
        "AddType text/html .html",
        "AddType text/turtle .ttl",
        "AddType application/ld+json .jsonld",
        "AddType application/n-triples .nt",
        "AddType application/trig .trig",
        "AddEncoding gzip .gz",
        "Header merge Vary Accept",
        "RewriteEngine On",
        "# a browser gets HTML even when it also accepts RDF with a lower weight",
        "RewriteCond %{HTTP_ACCEPT} text/html",
        "RewriteCond %{REQUEST_FILENAME}.html -f",
        "RewriteRule ^(.+)$ $1.html [L]",
    ]
    for media, ext in NEGOTIATED:
        lines += [f"RewriteCond %{{HTTP_ACCEPT}} {media}",
                  f"RewriteCond %{{REQUEST_FILENAME}}.{ext} -f",
                  f"RewriteRule ^(.+)$ $1.{ext} [L]"]
    lines += ["# anything else: the HTML page",
              "RewriteCond %{REQUEST_FILENAME}.html -f",
              "RewriteRule ^(.+)$ $1.html [L]",
              "DirectoryIndex index.html", ""]
    return "\n".join(lines)


def nginx_snippet(root: str = "/srv/aicoop") -> str:
    """A ``server`` block snippet: a ``map`` from Accept to extension, then ``try_files``."""
    maps = "\n".join(f'    "~*{media}" ".{ext}";' for media, ext in NEGOTIATED)
    return f"""# Content negotiation for the aicoop linked-data site (written by kg publish).
# Put the map in the http block and the location in the server block; set root to the
# folder kg publish wrote.
map $http_accept $aicoop_ext {{
    default ".html";
    "~*text/html" ".html";
{maps}
}}

location / {{
    root {root};
    types {{
        text/html html;
        text/turtle ttl;
        application/ld+json jsonld;
        application/n-triples nt;
        application/trig trig;
        application/gzip gz;
    }}
    add_header Vary Accept always;
    add_header Access-Control-Allow-Origin "*" always;
    try_files $uri $uri$aicoop_ext $uri.html $uri/index.html =404;
}}
"""


def w3id_htaccess(site: str | None) -> str:
    """The ``.htaccess`` for the ``aicoop/`` folder of the w3id.org repository: 303 See
    Other from each IRI to the representation on the host of the published site."""
    target = site or PLACEHOLDER_SITE
    if not target.endswith("/"):
        target += "/"
    head = ["# w3id.org/aicoop redirects (written by kg publish): put this file in the",
            "# aicoop/ folder of the w3id.org repository.",
            f"# Published site: {target}"]
    if site is None:
        head.append("# site.invalid is a placeholder: run kg publish --site-url URL to set it.")
    lines = head + ["Options +FollowSymLinks", "RewriteEngine on", "Header merge Vary Accept",
                    "# the dataset description",
                    f"RewriteRule ^(void|dataset)\\.ttl$ {target}void.ttl [R=303,L]",
                    "# a browser gets the HTML page",
                    "RewriteCond %{HTTP_ACCEPT} text/html",
                    f"RewriteRule ^(.+)$ {target}$1.html [R=303,L]"]
    for media, ext in NEGOTIATED:
        lines += [f"RewriteCond %{{HTTP_ACCEPT}} {media}",
                  f"RewriteRule ^(.+)$ {target}$1.{ext} [R=303,L]"]
    lines += ["RewriteRule ^$ " + target + "index.html [R=303,L]",
              f"RewriteRule ^(.+)$ {target}$1.html [R=303,L]", ""]
    return "\n".join(lines)
