"""Best bets for the top tasks (editable under Site search › Best bets): how to
ask, confidentiality, each Snapshot figure, and the organisation in each area."""

from django.db import migrations

SNAPSHOT = "/snapshot/encompass-snapshot-2021/"
PP = "/practice-points/{}/"


def figure(slug):
    return f"{SNAPSHOT}#figure-{slug}"


def organisation(slug):
    return f"{SNAPSHOT}#organisation-{slug}"


# Figures: (searches, [figure slugs]), the headline figure first.
FIGURES = [
    (
        "under 18 when first involved, involved under 18, first involved",
        ["under-18-when-first-involved"],
    ),
    (
        "shared intimate images, shared images under 16, images under 16",
        ["images-under-16"],
    ),
    (
        "children removed, had children removed, children removed from care,"
        " children taken into care",
        ["children-removed-headline", "children-removed", "children-affected"],
    ),
    ("children affected, how many children", ["children-affected"]),
    (
        "domestic abuse statistics, domestic abuse figures, experienced domestic"
        " abuse, disclosed domestic abuse",
        ["domestic-abuse", "domestic-abuse-excluding-tara"],
    ),
    (
        "childhood sexual abuse statistics, childhood sexual abuse figures,"
        " disclosed childhood sexual abuse",
        ["childhood-sexual-abuse", "childhood-sexual-abuse-excluding-tara"],
    ),
    (
        "mental health statistics, mental health figures, mental health issue,"
        " disclosed a mental health issue",
        ["mental-health-issue", "anxiety-or-depression"],
    ),
    (
        "anxiety or depression, anxiety and depression, had anxiety or depression",
        ["anxiety-or-depression"],
    ),
]

BEST_BETS = [
    (
        "how to ask, how do i ask, what to ask, ask the question, asking about"
        " selling sex, how to ask about selling sex, questions to ask",
        [PP.format("ask-the-question")],
        "The top task: asking someone whether they sell or exchange sex.",
    ),
    (
        "confidentiality, breaking confidentiality, share information, sharing"
        " information, duty to share, when to share information",
        [
            PP.format("individuals-may-hide-their-involvement"),
            PP.format("ask-the-question"),
        ],
        "Where the briefing says what confidentiality means and when to share.",
    ),
    (
        "what can women exchange sex for, what is sex exchanged for, exchanged for,"
        " exchange for",
        [PP.format("the-exchange-may-not-be-for-money")],
        "The list of what sex may be exchanged for.",
    ),
    (
        "how many women were supported, women supported, 150 women, encompass"
        " snapshot, snapshot",
        [SNAPSHOT],
        "The Snapshot: 150 women supported in one week of November 2021.",
    ),
    *(
        (searches, [figure(slug) for slug in slugs], "A Snapshot figure.")
        for searches, slugs in FIGURES
    ),
    (
        "edinburgh, support in edinburgh, services in edinburgh",
        [organisation("another-way")],
        "The Encompass organisation in Edinburgh.",
    ),
    (
        "glasgow, support in glasgow, services in glasgow",
        [organisation("routes-out")],
        "The Encompass organisation in Glasgow.",
    ),
    (
        "dundee, support in dundee, services in dundee",
        [organisation("vice-versa")],
        "The Encompass organisation in Dundee.",
    ),
    (
        "perth, kinross, perth and kinross, support in perth, services in perth",
        [organisation("rape-and-sexual-abuse-centre-perth-kinross")],
        "The Encompass organisation in Perth & Kinross.",
    ),
    (
        "aberdeen, support in aberdeen, services in aberdeen",
        [
            organisation("aberdeen-cyrenians"),
            organisation("alcohol-drug-action-aberdeen"),
        ],
        "The Encompass organisations in Aberdeen.",
    ),
]


def rows():
    for searches, urls, note in BEST_BETS:
        queries = "\n".join(s.strip() for s in searches.split(","))
        yield queries, "\n".join(urls), note


def seed(apps, schema_editor):
    BestBet = apps.get_model("search", "BestBet")
    for queries, urls, note in rows():
        BestBet.objects.get_or_create(
            queries=queries, defaults={"urls": urls, "note": note}
        )


def unseed(apps, schema_editor):
    BestBet = apps.get_model("search", "BestBet")
    BestBet.objects.filter(queries__in=[q for q, _, _ in rows()]).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0010_practitioner_vocabulary")]

    operations = [migrations.RunPython(seed, unseed)]
