"""Exporting the shipped briefing and importing it again keeps every word."""

import pytest

from documents import formats
from documents.briefings import create_briefing, document_from_briefing
from guidance.models import Briefing
from tests.conftest import BRIEFING

pytestmark = pytest.mark.django_db


def everything(briefing):
    """Every piece of text a briefing holds, in order, for comparison."""
    sections = [
        (
            s.title,
            s.part,
            s.body.strip(),
            [(q.text, q.speaker, q.source.title) for q in s.quotes.all()],
        )
        for s in briefing.sections.order_by("position")
    ]
    points = [
        {
            "title": p.title,
            "summary": p.summary.strip(),
            "body": p.body.strip(),
            "closing": p.closing.strip(),
            "lists": [
                (pl.title, pl.intro.strip(), [i.text for i in pl.items.all()])
                for pl in p.lists.all()
            ],
            "prompts": [q.text for q in p.prompts.all()],
            "reflective": [q.text for q in p.reflective_questions.all()],
            "quotes": [(q.text, q.speaker, q.source.title) for q in p.quotes.all()],
        }
        for p in briefing.practice_points.order_by("position")
    ]
    return briefing.title, briefing.summary.strip(), briefing.author, sections, points


@pytest.mark.parametrize("kind", ["md", "docx"])
def test_exported_briefing_imports_with_the_same_text(content, kind):
    original = Briefing.objects.get(slug=BRIEFING)
    data = formats.write(document_from_briefing(original, published_only=False), kind)
    doc = formats.read(data, f"briefing.{kind}")
    # The research excerpts in section bodies are block quotes with no speaker.
    assert {n["reason"][:30] for n in doc.unclassified} <= {
        "A quote with no attribution li"
    }
    copy = create_briefing(doc, "copy", f"briefing.{kind}")
    assert everything(copy) == everything(original)
    assert copy.sections.count() == 5
    assert copy.practice_points.count() == 9
