import pytest
from django.contrib import admin
from django.urls import reverse

from guidance.models import Section
from practice_points.models import PracticePoint
from snapshot.models import Figure
from tests.conftest import BRIEFING


@pytest.mark.parametrize(
    "model", list(admin.site._registry), ids=lambda m: m._meta.label
)
def test_every_admin_page_loads(admin_client, content, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(changelist + "?q=women").status_code == 200
    add = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    # A read-only report (searches with no results) has no add page.
    read_only = not admin.site._registry[model].has_add_permission(add.wsgi_request)
    assert add.status_code == (403 if read_only else 200)
    obj = model.objects.first()
    if obj is not None:
        change = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]
        )
        assert admin_client.get(change).status_code == 200


def test_admin_is_for_staff_only(client, django_user_model, content):
    assert client.get("/admin/").status_code == 302
    user = django_user_model.objects.create_user("reader", password="pw-not-staff-123")
    client.force_login(user)
    response = client.get("/admin/guidance/section/")
    assert response.status_code == 302


def test_markdown_fields_use_the_markdownx_editor(admin_client, content):
    point = PracticePoint.objects.get(slug="ask-the-question")
    html = admin_client.get(
        reverse("admin:practice_points_practicepoint_change", args=[point.pk])
    ).content.decode()
    assert "markdownx" in html
    assert "data-markdownx-urls-path" in html


def test_admin_edit_changes_the_page(admin_client, client, content):
    point = PracticePoint.objects.get(slug="ask-the-question")
    url = reverse("admin:practice_points_practicepoint_change", args=[point.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        title="Ask the question, kindly",
        audiences=[a.pk for a in point.audiences.all()],
        quotes=[q.pk for q in point.quotes.all()],
        references=[r.pk for r in point.references.all()],
        briefing=point.briefing_id,
        _publish="Publish",
    )
    for prefix in ("lists", "prompts", "reflective_questions"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert (
        "Ask the question, kindly"
        in client.get(point.get_absolute_url()).content.decode()
    )


def test_admin_edit_of_a_figure_changes_every_page_that_shows_it(client, content):
    figure = Figure.objects.get(slug="domestic-abuse")
    figure.count = 90
    figure.save()
    html = client.get(f"/briefings/{BRIEFING}/encompass-snapshot/").content.decode()
    assert "90 of 150 women (60%)" in html


def test_draft_section_is_hidden_from_readers(client, content):
    section = Section.objects.get(slug="northern-rock-foundation")
    section.status = "draft"
    section.save()
    assert client.get(section.get_absolute_url()).status_code == 404
    assert (
        "Northern Rock Foundation research"
        not in client.get(f"/briefings/{BRIEFING}/").content.decode()
    )


def test_admin_pages_have_no_inline_styles_the_csp_would_block(admin_client, content):
    """The Content-Security-Policy refuses style attributes, in the admin too."""
    figure = Figure.objects.get(slug="images-under-16")
    urls = [
        "/admin/",
        reverse("admin:snapshot_figure_change", args=[figure.pk]),
        reverse("admin:practice_points_practicepoint_changelist"),
    ]
    for url in urls:
        html = admin_client.get(url).content.decode()
        assert ' style="' not in html, url
