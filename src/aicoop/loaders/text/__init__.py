"""The text loader: PDF, HTML, Markdown and plain text -> domains, risks, benefits and
organisations, with passage evidence.

``extract`` gets the text, ``vocabulary`` the labels, ``match`` finds them, ``score`` decides
what a document addresses, ``annotate`` ties them together and ``rdf`` stores the result. The
decision rule is documented in ``docs/text-detection.md``. Heavy dependencies (pypdfium2,
trafilatura, pyahocorasick) are imported only when used.
"""
