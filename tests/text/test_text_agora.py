"""On real documents (AGORA, ../shared/data): texts that plainly govern a domain are found
to address it, and every text is read. The full evaluation is benchmarks/annotate_agora.py."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.shared_data


@pytest.fixture(scope="module")
def packaged_annotator():
    from aicoop.loaders.text.annotate import default_annotator
    return default_annotator()


@pytest.mark.parametrize("agora_id, domain", [
    ("660", "agriculture"),     # Advancing Automation R&D in Agriculture Act
    ("1287", "education"),      # AI Resiliency Toolkits in Schools Act
    ("247", "health"),          # Georgia: AI in health care (telemedicine, patients)
    ("400", "environment"),     # AI Environmental Impacts Act
    ("2040", "cybersecurity"),  # a frontier safety framework (cyber capabilities)
], ids=lambda v: str(v))
def test_documents_about_a_domain_address_it(agora_dir, packaged_annotator, agora_id,
                                             domain) -> None:
    ann = packaged_annotator.annotate_file(agora_dir / "fulltext" / f"{agora_id}.txt")
    addressed = {d.concept.notation for d in ann.detections["domains"] if d.salience.addresses}
    assert domain in addressed


def test_every_agora_text_is_read(agora_dir, packaged_annotator) -> None:
    files = sorted((agora_dir / "fulltext").glob("*.txt"))[:150]
    results = list(packaged_annotator.annotate_paths(files))
    assert [r.error for r in results if r.error] == []
    assert all(r.annotation.language == "en" for r in results[:20]
               if r.annotation and r.annotation.words > 200)


def test_a_sector_named_only_in_a_list_of_covered_areas_is_not_addressed(
        agora_dir, packaged_annotator) -> None:
    # New York bill on automated decision tools: "… INSURANCE, HEALTH CARE SERVICES, OR
    # ACCESS TO …" twice, in lists of consequential decisions; AGORA does not tag it health
    ann = packaged_annotator.annotate_file(agora_dir / "fulltext" / "278.txt")
    (health,) = [d for d in ann.detections["domains"] if d.concept.notation == "health"]
    assert (health.salience.mentions, health.salience.in_context) == (2, 0)
    assert not health.salience.addresses
