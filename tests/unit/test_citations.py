"""Citations of published figures: publisher, year and title in English, never a file name."""

from __future__ import annotations


def test_citations_are_in_english_and_name_the_edition_read() -> None:
    """A published figure's source reads as an English citation on screen and in decks (a
    Russian title under a McKinsey China card looked like a wrong source); the edition read
    is named, and its own title stays on the methods page."""
    from cx.models import citations

    for seed, doc in citations.documents().items():
        cited = citations.cite({"seed_file": seed, "year": "2024"})
        assert cited.replace("·", "").isascii(), cited
        assert f"(read in the {doc['language']})" in cited
        assert doc["original_title"] and doc["original_title"] not in cited
