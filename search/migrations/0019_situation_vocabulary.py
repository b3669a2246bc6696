"""Situations as workers describe them, phone typing, and contacts.

The vocabulary in 0010 covers the field's terms; these entries cover how a
worker describes what is happening ("she keeps going back to him", "paid in
drugs"), what a phone types ("pics", "bf", "OF"), and asking for a service to
refer to. Each entry is (what a reader may type, the briefing's own words it
also finds), one-way as in 0010; the words after the comma are the briefing's
(fixtures/ and ../shared/content/briefing-source.txt). Every entry's reach is
tested (tests/search/test_vocabulary_reach.py). Editors keep all of it under
Site search › Synonyms.

"disclose" no longer finds "disclosed": every Snapshot figure says it, so a
search for disclosing put eleven figures above the guidance on disclosure.
"""

from django.db import migrations

VOCABULARY = {
    "Situations": [
        (
            "going back to him, goes back to him, keep going back, keeps going back,"
            " keep going back to him, keeps going back to him, keeps returning,"
            " keeps returning to him, returning to her partner, returns to him,"
            " went back to him, back with him, stays with him, wont leave him,"
            " cant leave him, trauma bond, trauma bonding, in love with him,"
            " loves him",
            "coercer, strength of this attachment, dependent",
        ),
        (
            "chooses to, she chooses, her choice, her own choice, own choice,"
            " choosing to, consent, consents, consensual, voluntary, willingly,"
            " her decision, says she wants to",
            "voluntarily, consenting behaviour, choice",
        ),
        (
            "paid in drugs, payment in drugs, paid with drugs, pays her in drugs,"
            " drugs for sex, swaps sex for drugs",
            "exchange of sex, drugs / alcohol, money or goods",
        ),
        (
            "place to stay, a place to stay, bed for the night, roof over her head,"
            " sex for accommodation, sex for a room, in return for a room",
            "somewhere to stay, shelter",
        ),
        (
            "keep her children, keep her kids, keeping her children, keeping her"
            " kids, keep the kids, lose her children, lose her kids, losing her"
            " kids, losing her children, kids taken, kids took, took her kids,"
            " took off her, taken off her, children taken away, custody, contact"
            " with her children",
            "parenting, children removed, taken into care, taken away",
        ),
        (
            "violent client, violent clients, violent punter, client violence,"
            " dangerous client, bad client, attacked by a punter, attacked by a"
            " client, assaulted by a punter, assaulted by a client, report a"
            " client, report a punter, report a violent client, reporting a"
            " punter",
            "national ugly mugs, reporting of crimes",
        ),
        (
            # Not "were in care": PostgreSQL reads it as "care" alone.
            "in care as a child, in care as children, grew up in care, brought"
            " up in care",
            # Not "in care": PostgreSQL drops "in", and "care" is everywhere.
            "care system, apprehended themselves as children",
        ),
        (
            "trafficking victim, trafficking victims, victim of trafficking,"
            " victims of trafficking, trafficked woman, trafficked women",
            "trafficking",
        ),
        (
            "adult support and protection, adult protection, adult at risk,"
            " adults at risk, asp, vulnerable adult, vulnerable adults, adult"
            " safeguarding",
            "duty to share information, significant risks, confidentiality",
        ),
    ],
    "Phone typing": [
        ("pics, pic, pix, piccies, selfies", "images"),
        ("bf, bfs, hubby, husband", "partner, partners"),
        ("msgs, msg, dms, texts, texting", "online"),
        ("mh", "mental health"),
        ("cptsd, c ptsd", "complex ptsd"),
        # "OF" is a stop word: searched for only when typed in capitals
        # (search.query), then as OnlyFans.
        ("of", "sell images"),
        ("sw", "sex work, sex worker, social work"),
    ],
    "Contacts and referral": [
        (
            "referral, referrals, refer, referring, signpost, signposting, local"
            " service, local services, where to refer",
            "refer, specialist support",
        ),
        (
            "phone number, phone numbers, telephone, contact details, contact"
            " number, number to call, who to call",
            "refer, specialist support",
        ),
        (
            "training, train, trainings, course, courses, e-learning",
            "training, awareness raising session",
        ),
    ],
}

DISCLOSE = "disclose\ndisclosing\ntelling\nopen up"


def entries():
    for field, rows in VOCABULARY.items():
        for typed, finds in rows:
            terms = "\n".join(t.strip() for t in typed.split(","))
            also = "\n".join(t.strip() for t in finds.split(",") if t.strip())
            yield terms, also, f"Situation vocabulary: {field.lower()}."


def _disclose(apps, old, new):
    # Only as 0010 seeded it: an editor's own change is kept.
    Synonym = apps.get_model("search", "Synonym")
    Synonym.objects.filter(terms=DISCLOSE, also_finds=old).update(also_finds=new)


def seed(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    for terms, also, note in entries():
        Synonym.objects.get_or_create(
            terms=terms, defaults={"also_finds": also, "note": note}
        )
    _disclose(apps, "disclosure\ndisclosed", "disclosure")


def unseed(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    Synonym.objects.filter(terms__in=[terms for terms, _, _ in entries()]).delete()
    _disclose(apps, "disclosure", "disclosure\ndisclosed")


class Migration(migrations.Migration):
    dependencies = [("search", "0018_fallback_weight")]

    operations = [migrations.RunPython(seed, unseed)]
