"""Write the corpus of malformed and hostile inputs in this folder, and ``cases.json`` saying
how kg must answer each: exit status, the file the message must name, and the line where
there is one. Run it again after changing a case (``python tests/data/bad/make_corpus.py``);
the files are committed so the test never depends on this script's output being fresh.

Every expected line is written by hand next to the content it refers to.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
RECORDS = "tests/data/records"
CASES: list[dict] = []

EX = "<http://example.org/a> <http://example.org/p>"
BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/a"><ex:p>&lol9;</ex:p></rdf:Description>
</rdf:RDF>
"""
RDF_HEAD = ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:ex="http://example.org/">\n')


def case(name: str, content: str | bytes, args: list[str], exit: int, *, line: int | None = None,
         names: str | None = None) -> None:
    path = HERE / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    CASES.append({"id": name, "args": args, "exit": exit, "line": line,
                  "names": names or name})


def rdf(name: str, content: str | bytes, exit: int = 3, line: int | None = None, *extra: str
        ) -> None:
    case(name, content, ["load", "rdf", "{bad}/" + name, *extra], exit, line=line)


def query(name: str, content: str | bytes, exit: int = 2) -> None:
    # a query error names the query (the file's stem is the query's name)
    case(name, content, ["query", "{bad}/" + name], exit, names=Path(name).stem)


def records(name: str, content: str | bytes, line: int | None = None, *,
            mapping: str = RECORDS + "/docs.mapping.yaml") -> None:
    case(name, content, ["load", "records", "{bad}/" + name, "-m", mapping], 3, line=line)


def mapping(name: str, content: str, line: int | None = None) -> None:
    case(name, content, ["load", "records", RECORDS + "/docs.csv", "-m", "{bad}/" + name], 3,
         line=line)


CONVERTER_HEAD = "\t".join(["ISO2", "ISO3", "name_short", "ccTLD", "UN", "OECD", "EU", "G7",
                            "G20", "CoE", "BRIC", "APEC"])
CONVERTER = CONVERTER_HEAD + "\nTT\tTTT\tTestland\t.tt\t1945\t\t\t\t\t\t\t\n"
FACTBOOK_HEAD = "fips,country,cctld,region_folder,org,qualifier,raw\n"


def memberships(name: str, content: str, line: int | None = None, *, as_overrides: bool = False
                ) -> None:
    conv = HERE / "converter-ok.tsv"
    conv.write_text(CONVERTER, encoding="utf-8")
    fb = HERE / "factbook-ok.csv"
    fb.write_text(FACTBOOK_HEAD + "tt,Testland,.tt,europe,UN,,UN\n", encoding="utf-8")
    if as_overrides:
        args = ["load", "memberships", "{bad}/factbook-ok.csv", "{bad}/converter-ok.tsv",
                "--overrides", "{bad}/" + name]
    else:
        args = ["load", "memberships", "{bad}/" + name, "{bad}/converter-ok.tsv"]
    case(name, content, args, 3, line=line)


def main() -> None:
    rng = random.Random(12)
    for old in HERE.iterdir():
        if old.name not in ("make_corpus.py", "README.md"):
            old.unlink()
    # ---- RDF: hostile ---------------------------------------------------------------------
    rdf("entity-bomb.rdf", BOMB)
    rdf("external-entity.rdf", '<?xml version="1.0"?>\n<!DOCTYPE r [ <!ENTITY x SYSTEM '
        '"file:///etc/passwd"> ]>\n' + RDF_HEAD + '<rdf:Description rdf:about="http://'
        'example.org/a"><ex:p>&x;</ex:p></rdf:Description></rdf:RDF>\n')
    rdf("parameter-entity.rdf", '<?xml version="1.0"?>\n<!DOCTYPE r [ <!ENTITY % p "x"> ]>\n'
        + RDF_HEAD + "</rdf:RDF>\n")
    big = "x" * 4096
    rdf("quadratic-entity.rdf", f'<?xml version="1.0"?>\n<!DOCTYPE r [ <!ENTITY big "{big}"> '
        ']>\n' + RDF_HEAD + "".join(f'<rdf:Description rdf:about="http://example.org/d{i}">'
                                    f"<ex:p>&big;&big;&big;&big;&big;</ex:p></rdf:Description>\n"
                                    for i in range(1000)) + "</rdf:RDF>\n")
    rdf("remote-context.jsonld", '{"@context": "http://example.org/context.jsonld", '
        '"@id": "http://example.org/a", "p": "x"}\n')
    rdf("names-the-ontology-graph.trig",
        f"<https://w3id.org/aicoop/graph/ontology> {{ {EX} \"x\" . }}\n", 2)
    rdf("names-a-reference-graph.trig", "<https://w3id.org/aicoop/graph/reference/"
        f"organisations> {{ {EX} \"x\" . }}\n", 2)
    # ---- RDF: malformed (line of the error written by hand) ------------------------------
    rdf("turtle-missing-dot.ttl", f'{EX} "1" .\n{EX} "2"\n{EX} "3" .\n', 3, 3)
    rdf("turtle-unterminated-string.ttl", f'{EX} "1" .\n{EX} "never closed .\n', 3, 2)
    rdf("turtle-undefined-prefix.ttl", f'{EX} "1" .\nex:a ex:p "2" .\n', 3, 2)
    rdf("turtle-bad-iri.ttl", f'{EX} "1" .\n<http://example.org/a b> <http://e/p> "2" .\n', 3, 2)
    rdf("turtle-nul-bytes.ttl", f'{EX} "1" .\n'.encode() + b"\x00\x00\x00 garbage\n", 3, 2)
    rdf("turtle-latin1.ttl", f'{EX} "1" .\n{EX} "caf\xe9" .\n'.encode("latin-1"), 3, 2)
    rdf("turtle-utf16.ttl", f'{EX} "1" .\n'.encode("utf-16"), 3)
    rdf("turtle-binary.ttl", bytes(rng.randrange(256) for _ in range(2048)), 3)
    rdf("ntriples-two-terms.nt", f'{EX} "1" .\n<http://example.org/a> <http://e/p> .\n', 3, 2)
    rdf("ntriples-literal-subject.nt", f'{EX} "1" .\n{EX} "2" .\n"s" <http://e/p> "o" .\n',
        3, 3)
    rdf("ntriples-truncated.nt", f'{EX} "1" .\n{EX} "2', 3, 2)
    rdf("nquads-five-terms.nq", f'{EX} "1" <http://e/g> .\n{EX} "2" <http://e/g> <http://e/h> .\n',
        3, 2)
    rdf("trig-unclosed-graph.trig", f'<http://e/g> {{\n{EX} "1" .\n', 3)
    rdf("jsonld-not-json.jsonld", '{"@id": "http://example.org/a", "p": \n', 3)
    rdf("jsonld-binary.jsonld", bytes(rng.randrange(256) for _ in range(512)), 3)
    rdf("rdfxml-unclosed.rdf", RDF_HEAD + '<rdf:Description rdf:about="http://example.org/a">\n'
        "<ex:p>1</ex:p>\n</rdf:RDF>\n", 3)
    rdf("rdfxml-not-xml.rdf", "this is not XML at all\n", 3)
    rdf("unknown-format.xyz", f'{EX} "1" .\n', 2)
    rdf("empty-but-binary.ttl", b"\xff\xfe\xfd", 3)
    # ---- queries --------------------------------------------------------------------------
    query("service.rq", "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }\n")
    query("service-silent-lowercase.rq", "PREFIX ex: <http://example.org/>\nselect * where {\n"
          "  service silent <http://127.0.0.1:9/sparql> { ?s ?p ?o }\n}\n")
    query("service-in-subquery.rq", "SELECT * WHERE { { SELECT ?s WHERE { SERVICE "
          "<http://example.org/sparql> { ?s ?p ?o } } } }\n")
    query("insert-data.rq", "PREFIX ex: <http://example.org/>\nINSERT DATA { ex:a ex:b ex:c }\n")
    query("drop-all.rq", "# looks harmless\nDROP ALL\n")
    query("load-url.rq", "LOAD <http://example.org/data.ttl>\n")
    query("delete-where.rq", "DELETE WHERE { ?s ?p ?o }\n")
    query("syntax-error.rq", "SELECT ?s WHERE { ?s ?p }\n")
    query("binary.rq", bytes(rng.randrange(128, 256) for _ in range(256)), 3)
    query("empty.rq", "")
    # ---- records --------------------------------------------------------------------------
    head = "key,title,issuers,date,instrument,binding,url,domains,risks,source\n"
    row = "k{n},Title {n},WHO,2021-06-28,recommendation,false,https://www.who.int/,health,privacy,https://www.who.int/\n"
    records("csv-unclosed-quote.csv", head + row.format(n=1) + 'k2,"Title 2,WHO,2021,x,false,'
            "https://www.who.int/,health,privacy,https://www.who.int/\n" + row.format(n=3), 3)
    records("csv-extra-field.csv", head + row.format(n=1) + row.format(n=2).replace(
        "false,", "false,extra,"), 3)
    records("csv-missing-field.csv", head + row.format(n=1) + row.format(n=2) +
            "k3,Title 3,WHO\n", 4)
    records("csv-latin1.csv", (head + row.format(n=1).replace("Title", "Caf\xe9")
                               ).encode("latin-1"))
    records("csv-binary.csv", bytes(rng.randrange(256) for _ in range(1024)))
    records("csv-empty.csv", "")
    records("csv-duplicate-column.csv", head.replace("risks", "title") + row.format(n=1), 1)
    records("csv-missing-column.csv", head.replace(",risks", "").replace("title,", "") +
            "k1,WHO,2021,recommendation,false,https://www.who.int/,health,https://x.org/\n")
    records("json-broken.json", '[{"key": "k1",\n "title": "x"},\n {"key": \n',
            mapping=RECORDS + "/docs.mapping.yaml")
    mapping("mapping-not-yaml.yaml", "format: csv\nsubject: [unclosed\n")
    mapping("mapping-unknown-column.yaml", "format: csv\nsubject:\n  iri: \"doc/{nokey}\"\n"
            "fields:\n  - column: title\n    property: dcterms:title\n")
    mapping("mapping-yaml-bomb.yaml", "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
            "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
            "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
            "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
            "format: csv\nsubject: *h\n")
    mapping("mapping-binary.yaml", "\x00\x01\x02 not a mapping")
    # ---- memberships ----------------------------------------------------------------------
    memberships("factbook-unclosed-quote.csv", FACTBOOK_HEAD +
                "tt,Testland,.tt,europe,UN,,UN\n" + 'tt,"Testland,.tt,europe,OECD,,OECD\n' +
                "tt,Testland,.tt,europe,WTO,,WTO\n", 3)
    memberships("factbook-extra-field.csv", FACTBOOK_HEAD + "tt,Testland,.tt,europe,UN,,UN\n"
                "tt,Testland,.tt,europe,UN,,UN,surplus\n", 3)
    memberships("factbook-missing-column.csv", "fips,country,org\ntt,Testland,UN\n", 1)
    memberships("overrides-short-row.csv", "state,org,role,since,reason,source\n"
                "TTT,un,member,1945,checked,https://www.un.org/\nTTT,oecd\n", 3,
                as_overrides=True)
    (HERE / "cases.json").write_text(json.dumps(CASES, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(CASES)} cases")


if __name__ == "__main__":
    main()
