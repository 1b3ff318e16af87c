"""A text's words exactly as they reach the phone: its paragraphs, the link, nothing more.
(The other text tests check lengths and what never appears; mutmut showed that lines joined
with stray characters went unseen.)"""

import logging
from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from notifications.kinds import TEXT_MAX_CHARS, Kind
from notifications.services.rendering import render_text


def test_a_place_offered_text_reads_paragraph_by_paragraph(settings):
    settings.SITE_URL = "https://involvement.example.nhs.uk"
    expires = datetime(2027, 6, 1, 17, 0, tzinfo=ZoneInfo("Europe/London"))
    words = render_text(
        kind=Kind.PLACE_OFFERED,
        context={
            "opportunity": SimpleNamespace(pk=7, title="Interview panel"),
            "signup": SimpleNamespace(offer_expires_at=expires),
        },
    )
    assert words == (
        "Involvement Hub: a place on Interview panel is yours if you want it. "
        "We will hold it until Tuesday 1 June 2027, 5pm.\n"
        "\n"
        "Log in to accept or decline it: https://involvement.example.nhs.uk/opportunities/7/\n"
        "\n"
        "If you do not answer in time, we will offer it to the next person. That is fine."
    )


def _with_text_template(settings, tmp_path, words: str) -> None:
    """The reminder's text template replaced by `words`, for this test only."""
    folder = tmp_path / "notifications" / "text"
    folder.mkdir(parents=True)
    (folder / "reminder.txt").write_text(words)
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]


def test_a_text_of_exactly_the_longest_length_is_sent_whole(settings, tmp_path, caplog):
    words = "w" * TEXT_MAX_CHARS
    _with_text_template(settings, tmp_path, words)
    with caplog.at_level(logging.WARNING, logger="notifications.services.rendering"):
        assert render_text(kind=Kind.REMINDER, context={}) == words
    assert caplog.records == []


def test_a_text_one_character_too_long_is_cut_with_an_ellipsis_and_the_log_says_which(
    settings, tmp_path, caplog
):
    """A very long title is cut rather than the text refused, and the log (no personal data:
    the kind and lengths only) says which kind of text outgrew the limit."""
    _with_text_template(settings, tmp_path, "w" * (TEXT_MAX_CHARS - 2) + " yz")
    with caplog.at_level(logging.WARNING, logger="notifications.services.rendering"):
        words = render_text(kind=Kind.REMINDER, context={})
    # The cut leaves no space before the ellipsis.
    assert words == "w" * (TEXT_MAX_CHARS - 2) + "…"
    assert [record.getMessage() for record in caplog.records] == [
        f"A reminder text was {TEXT_MAX_CHARS + 1} characters long; cut to {TEXT_MAX_CHARS}."
    ]


def test_a_text_cut_for_length_is_exactly_the_longest_a_text_may_be(settings, tmp_path):
    _with_text_template(settings, tmp_path, "w" * (TEXT_MAX_CHARS + 40))
    words = render_text(kind=Kind.REMINDER, context={})
    assert words == "w" * (TEXT_MAX_CHARS - 1) + "…"
    assert len(words) == TEXT_MAX_CHARS


def test_a_texts_blank_lines_are_folded_to_one_and_each_line_trimmed(settings, tmp_path):
    """However a template is laid out, a text never carries a run of empty lines or spaces
    at the ends of its lines: each costs characters the person pays to receive."""
    _with_text_template(settings, tmp_path, "  First line  \n\n\n\nSecond\n\n\n\n\n\nThird  \n\n\n")
    assert render_text(kind=Kind.REMINDER, context={}) == "First line\n\nSecond\n\nThird"
