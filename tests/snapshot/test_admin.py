"""Editors see rounding and disclosure warnings, and choose how a figure shows."""

import pytest
from django.urls import reverse

from snapshot.models import Figure, Organisation, Snapshot
from tests.conftest import change_form_data


@pytest.mark.parametrize(
    ("slug", "warning"),
    [
        ("images-under-16", "A count of 3 is under the disclosure threshold of 5"),
        ("childhood-sexual-abuse", "35 of 150 is 23.3%; the source printed 23.5%"),
        ("domestic-abuse", None),
    ],
)
def test_figure_form_shows_the_figures_own_warnings(
    admin_client, content, slug, warning
):
    figure = Figure.objects.get(slug=slug)
    url = reverse("admin:snapshot_figure_change", args=[figure.pk])
    html = admin_client.get(url).content.decode()
    if warning:
        assert "Checks on this figure" in html and warning in html
    else:
        assert "Checks on this figure" not in html


def test_consistency_report_is_linked_and_lists_every_finding(admin_client, content):
    snapshot = Snapshot.objects.get()
    url = reverse("admin:snapshot_snapshot_consistency", args=[snapshot.pk])
    change = admin_client.get(
        reverse("admin:snapshot_snapshot_change", args=[snapshot.pk])
    ).content.decode()
    assert f'href="{url}"' in change
    changelist = admin_client.get(
        reverse("admin:snapshot_snapshot_changelist")
    ).content.decode()
    assert f'href="{url}"' in changelist
    html = admin_client.get(url).content.decode()
    assert "Printed percentage disagrees with the count (4)" in html
    for message in [
        "31 of 150 is 20.7%; the source printed 20%",
        "32 of 150 is 21.3%; the source printed 20%",
        "35 of 150 is 23.3%; the source printed 23.5%",
        "121 of 150 is 80.7%; the source printed 80%",
        "A count of 3 is under the disclosure threshold of 5",
    ]:
        assert message in html
    assert html.count("Needs a decision") == 3  # images under 16; two in LOTC
    assert "Figures from other studies" in html


def test_consistency_report_is_for_staff_only(client, content):
    snapshot = Snapshot.objects.get()
    url = reverse("admin:snapshot_snapshot_consistency", args=[snapshot.pk])
    assert client.get(url).status_code == 302


def test_editor_suppresses_a_figure_and_every_page_follows(
    admin_client, client, content
):
    figure = Figure.objects.get(slug="images-under-16")
    url = reverse("admin:snapshot_figure_change", args=[figure.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["display"] = "suppressed"
    data["_publish"] = "Publish"
    data["published_at_0"], data["published_at_1"] = "2021-12-01", "00:00:00"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    page = client.get(figure.snapshot.get_absolute_url()).content.decode()
    assert "fewer than 5 women</strong> disclosed that they had shared" in page
    assert '"figure-value">3 women</strong> disclosed' not in page
    report = admin_client.get(
        reverse("admin:snapshot_snapshot_consistency", args=[figure.snapshot_id])
    ).content.decode()
    assert "Handled: suppressed" in report


def test_an_editor_adds_contact_details_that_readers_then_see(client, editor, content):
    organisation = Organisation.objects.get(slug="routes-out")
    url = reverse("admin:snapshot_organisation_change", args=[organisation.pk])
    client.force_login(editor)
    form = client.get(url).content.decode()
    assert "Contact details" in form and "Leave blank if unsure" in form
    data = change_form_data(
        client,
        url,
        phone="0141 000 0000",
        how_to_refer="Phone the duty worker.",
        email="not an address",
        change_note="Added contact details",
    )
    refused = client.post(url, data)
    assert refused.status_code == 200  # the bad address is explained, nothing lost
    assert "Enter a valid email address." in refused.content.decode()
    data["email"] = ""
    # Saved as a draft, readers keep the published page; Publish makes it live.
    assert client.post(url, data).status_code == 302
    assert (
        "0141 000 0000"
        not in client.get(organisation.get_absolute_url()).content.decode()
    )
    publish = change_form_data(client, url, _publish="Publish")
    assert client.post(url, publish).status_code == 302
    client.logout()
    html = client.get(organisation.get_absolute_url()).content.decode()
    assert "0141 000 0000" in html and "Phone the duty worker." in html
    assert "Contact details have not been added yet." not in html
