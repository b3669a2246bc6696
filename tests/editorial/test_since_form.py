"""The date form on "What's changed", as a reader sees it."""

from pytest_django.asserts import assertContains, assertInHTML

MESSAGE = (
    "“31/03/2024” is not a date. Choose a date, or type it as year-month-day, for "
    "example 2024-03-31. Showing every change instead."
)


def test_a_bad_date_is_summarised_and_described_by_its_field(client, no_content):
    response = client.get("/whats-changed/", {"since": " 31/03/2024 "})
    assert response.status_code == 400
    html = response.content.decode()
    assertInHTML(f'<li><a href="#since">{MESSAGE}</a></li>', html)
    assertInHTML(
        f'<ul class="errorlist" id="since_error"><li>{MESSAGE}</li></ul>', html
    )
    assertInHTML(
        '<input type="date" name="since" value=" 31/03/2024 " id="since"'
        ' aria-invalid="true" aria-describedby="since_error">',
        html,
    )
    assertContains(response, "No changes have been published", status_code=400)


def test_a_good_date_shows_no_error(client, no_content):
    response = client.get("/whats-changed/", {"since": "2024-03-31"})
    assertContains(response, "Changes since 31 March 2024.")
    assertInHTML(
        '<input type="date" name="since" value="2024-03-31" id="since">',
        response.content.decode(),
    )
    assert "error-summary" not in response.content.decode()
