"""An e-mail's words as they reach the person: links that work from their mail program (the
site's full address), and a subject on one line that a mail program can show. (mutmut showed
that neither was checked: the address left out, or a subject one character over.)"""

from types import SimpleNamespace

from notifications.kinds import Kind
from notifications.services.rendering import render_message


def test_an_emails_links_carry_the_sites_full_address_in_both_bodies(settings):
    settings.SITE_URL = "https://involvement.example.nhs.uk"
    rendered = render_message(
        kind=Kind.PLACE_OFFERED,
        context={"opportunity": SimpleNamespace(pk=7, title="Interview panel"), "signup": None},
    )
    link = "https://involvement.example.nhs.uk/opportunities/7/"
    assert link in rendered.body_text.splitlines()
    assert f'<a href="{link}"' in rendered.body_html


def test_a_long_subject_is_one_line_of_at_most_two_hundred_characters():
    title = "Interview\npanel " + "T" * 300
    rendered = render_message(
        kind=Kind.PLACE_OFFERED, context={"opportunity": SimpleNamespace(pk=7, title=title), "signup": None}
    )
    assert rendered.subject == ("A place is offered to you: Interview panel " + "T" * 300)[:200]
    assert len(rendered.subject) == 200


def test_the_html_bodys_title_is_the_subject_and_the_text_body_ends_with_one_line_break():
    rendered = render_message(
        kind=Kind.PLACE_OFFERED,
        context={"opportunity": SimpleNamespace(pk=7, title="Interview panel"), "signup": None},
    )
    assert "<title>A place is offered to you: Interview panel</title>" in rendered.body_html
    assert rendered.body_text.endswith("That is fine.\n\nInvolvement Hub\n")


def test_a_kind_that_never_comes_by_text_has_no_words_for_one():
    rendered = render_message(kind=Kind.DIGEST, context={"frequency": "weekly"})
    assert rendered.body_text
    assert rendered.body_sms == ""
