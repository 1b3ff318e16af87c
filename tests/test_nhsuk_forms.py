"""The NHS.UK crispy-forms template pack (templates/nhsuk/) and the shared DateField.

The markup is checked through an HTML parser against what the NHS.UK frontend fixtures show:
labels tied to inputs, hints and errors announced through aria-describedby, error styling, and
answers kept after an error so that nobody has to type them again.
"""

import datetime
from collections.abc import Iterator

import pytest
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test.html import Element, parse_html
from pytest_django import Settings

from involvement.forms import DateField, DateInput, LengthLimitsMixin

# `{% crispy %}` always reverses the form action, so it needs a URLconf; this empty one keeps
# these tests independent of the project's URLs.
urlpatterns: list = []


class ExampleForm(forms.Form):
    full_name = forms.CharField(
        label="Full name",
        help_text="As it appears on your NHS letter",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(label="Email address (optional)", required=False)
    pronouns = forms.CharField(label="Pronouns", required=False)
    activities = forms.IntegerField(
        label="Activities a month",
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-2", "inputmode": "numeric"}),
    )
    phone = forms.CharField(label="Phone number", widget=forms.TextInput(attrs={"type": "tel"}))
    website = forms.URLField(label="Website", required=False, assume_scheme="https")
    password = forms.CharField(label="Password", widget=forms.PasswordInput)
    details = forms.CharField(label="Can you tell us more?", widget=forms.Textarea)
    location = forms.ChoiceField(
        label="Location", choices=[("", "Choose a location"), ("leeds", "Leeds"), ("york", "York")]
    )
    contact = forms.ChoiceField(
        label="How should we contact you?",
        help_text="Select 1 option",
        choices=[("email", "Email"), ("phone", "Phone"), ("text", "Text message")],
        widget=forms.RadioSelect,
    )
    travel = forms.ChoiceField(
        label="How will you travel? (optional)",
        required=False,
        choices=[("", "---------"), ("bus", "Bus"), ("car", "Car")],
        widget=forms.RadioSelect,
    )
    days = forms.MultipleChoiceField(
        label="Which days suit you?",
        help_text="Select all that apply",
        choices=[("mon", "Monday"), ("tue", "Tuesday"), ("wed", "Wednesday")],
        widget=forms.CheckboxSelectMultiple,
    )
    agree = forms.BooleanField(label="I agree to the privacy notice", help_text="It explains what we keep")
    date_of_birth = DateField(label="Date of birth", help_text="For example, 31 3 1980")
    next_page = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.data.get("full_name") == "Nobody":
            raise ValidationError("We could not save your answers, try again")
        return cleaned


VALID = {
    "full_name": "Ann Example",
    "email": "ann@example.org",
    "activities": "2",
    "phone": "01632 960 001",
    "password": "secret-password",
    "details": "Some detail",
    "location": "leeds",
    "contact": "phone",
    "days": ["tue", "wed"],
    "agree": "on",
    "date_of_birth_day": "31",
    "date_of_birth_month": "3",
    "date_of_birth_year": "1980",
}

# Answers that keep some fields valid and make others wrong.
WITH_ERRORS = {
    **VALID,
    "full_name": "",
    "email": "not-an-email",
    "activities": "two",
    "website": "not a website",
    "details": "",
    "location": "",
    "agree": "",
    "date_of_birth_day": "",
}


# A small HTML query kit over Django's own test parser.


def parse(html: str) -> Element:
    return parse_html(html)


def elements(node: Element) -> Iterator[Element]:
    for child in node.children:
        if isinstance(child, Element):
            yield child
            yield from elements(child)


def attr(element: Element, name: str) -> str | None:
    return dict(element.attributes).get(name)


def classes(element: Element) -> set[str]:
    return set((attr(element, "class") or "").split())


def text(element: Element) -> str:
    parts = [child if isinstance(child, str) else text(child) for child in element.children]
    return " ".join(part for part in parts if part)


def find_all(
    node: Element, tag: str | None = None, css_class: str | None = None, **attrs: str
) -> list[Element]:
    found = []
    for element in elements(node):
        if tag and element.name != tag:
            continue
        if css_class and css_class not in classes(element):
            continue
        if all(attr(element, name.replace("_", "-")) == value for name, value in attrs.items()):
            found.append(element)
    return found


def by_id(node: Element, id_: str) -> Element:
    (element,) = [element for element in elements(node) if attr(element, "id") == id_]
    return element


def by_name(node: Element, name: str) -> list[Element]:
    return [element for element in elements(node) if attr(element, "name") == name]


def group_of(root: Element, field_id: str) -> Element:
    """The outermost nhsuk-form-group holding the element with this id."""
    for group in find_all(root, css_class="nhsuk-form-group"):
        if any(attr(element, "id") == field_id for element in elements(group)):
            return group
    raise AssertionError(f"no form group holds #{field_id}")


def label_for(root: Element, field_id: str) -> Element:
    (label,) = find_all(root, "label", **{"for": field_id})
    return label


def describedby(element: Element) -> list[str]:
    return (attr(element, "aria-describedby") or "").split()


def render(template: str, **context: object) -> str:
    return Template("{% load crispy_forms_tags %}" + template).render(Context(context))


def render_crispy_filter(form: forms.Form) -> Element:
    return parse(render("{{ form|crispy }}", form=form))


def bound_with_errors() -> ExampleForm:
    form = ExampleForm(data=WITH_ERRORS)
    assert not form.is_valid()
    return form


# Text-like inputs, textarea and select.


def test_every_label_points_at_an_input() -> None:
    for form in (ExampleForm(), bound_with_errors()):
        root = render_crispy_filter(form)
        labels = find_all(root, "label")
        assert labels
        for label in labels:
            target = by_id(root, attr(label, "for"))
            assert target.name in {"input", "select", "textarea"}


def test_text_input_unbound_matches_nhs_markup() -> None:
    root = render_crispy_filter(ExampleForm())
    field = by_id(root, "id_full_name")
    group = group_of(root, "id_full_name")

    assert classes(group) == {"nhsuk-form-group"}
    assert classes(label_for(root, "id_full_name")) == {"nhsuk-label"}
    hint = by_id(root, "id_full_name-hint")
    assert classes(hint) == {"nhsuk-hint"}
    assert text(hint) == "As it appears on your NHS letter"
    assert classes(field) == {"nhsuk-input"}
    assert describedby(field) == ["id_full_name-hint"]
    # The widget's own attributes survive.
    assert attr(field, "autocomplete") == "name"
    assert attr(field, "type") == "text"
    assert not find_all(root, css_class="nhsuk-error-message")


def test_field_without_hint_has_no_describedby() -> None:
    root = render_crispy_filter(ExampleForm())
    assert attr(by_id(root, "id_pronouns"), "aria-describedby") is None


def test_optional_appears_only_when_the_label_says_so() -> None:
    root = render_crispy_filter(ExampleForm())
    assert text(label_for(root, "id_email")) == "Email address (optional)"
    # Not required, but its label does not say "(optional)", so neither does the page.
    assert text(label_for(root, "id_pronouns")) == "Pronouns"
    assert "(optional)" not in text(label_for(root, "id_full_name"))


def test_input_types_and_widget_classes_are_kept() -> None:
    root = render_crispy_filter(ExampleForm())
    assert attr(by_id(root, "id_email"), "type") == "email"
    assert attr(by_id(root, "id_phone"), "type") == "tel"
    assert attr(by_id(root, "id_website"), "type") == "url"
    assert attr(by_id(root, "id_password"), "type") == "password"
    activities = by_id(root, "id_activities")
    assert attr(activities, "type") == "number"
    assert classes(activities) == {"nhsuk-input", "nhsuk-input--width-2"}
    assert attr(activities, "inputmode") == "numeric"


def test_textarea_and_select_classes() -> None:
    root = render_crispy_filter(ExampleForm())
    assert by_id(root, "id_details").name == "textarea"
    assert classes(by_id(root, "id_details")) == {"nhsuk-textarea"}
    assert by_id(root, "id_location").name == "select"
    assert classes(by_id(root, "id_location")) == {"nhsuk-select"}


@pytest.mark.parametrize(
    ("field_id", "error_class", "message"),
    [
        ("id_full_name", "nhsuk-input--error", "This field is required."),
        ("id_email", "nhsuk-input--error", "Enter a valid email address."),
        ("id_activities", "nhsuk-input--error", "Enter a whole number."),
        ("id_website", "nhsuk-input--error", "Enter a valid URL."),
        ("id_details", "nhsuk-textarea--error", "This field is required."),
        ("id_location", "nhsuk-select--error", "This field is required."),
    ],
)
def test_errors_on_inputs(field_id: str, error_class: str, message: str) -> None:
    root = render_crispy_filter(bound_with_errors())
    field = by_id(root, field_id)

    assert "nhsuk-form-group--error" in classes(group_of(root, field_id))
    assert error_class in classes(field)
    error = by_id(root, f"{field_id}-error")
    assert error.name == "span"
    assert classes(error) == {"nhsuk-error-message"}
    (hidden_prefix,) = find_all(error, "span", css_class="nhsuk-u-visually-hidden")
    assert text(hidden_prefix) == "Error:"
    assert text(error) == f"Error: {message}"
    assert f"{field_id}-error" in describedby(field)


def test_hint_then_error_in_describedby() -> None:
    root = render_crispy_filter(bound_with_errors())
    assert describedby(by_id(root, "id_full_name")) == ["id_full_name-hint", "id_full_name-error"]


def test_typed_values_are_kept_after_errors() -> None:
    root = render_crispy_filter(bound_with_errors())
    assert attr(by_id(root, "id_email"), "value") == "not-an-email"
    assert attr(by_id(root, "id_activities"), "value") == "two"
    assert attr(by_id(root, "id_website"), "value") == "not a website"
    assert attr(by_id(root, "id_phone"), "value") == "01632 960 001"
    # Passwords are never sent back to the browser.
    assert attr(by_id(root, "id_password"), "value") is None


@pytest.mark.parametrize("form", [ExampleForm(), ExampleForm(data=WITH_ERRORS)], ids=["unbound", "errors"])
def test_describedby_only_names_elements_on_the_page(form: ExampleForm) -> None:
    root = render_crispy_filter(form)
    described = [element for element in elements(root) if attr(element, "aria-describedby")]
    assert described
    for element in described:
        for id_ in describedby(element):
            assert by_id(root, id_)


def test_valid_fields_are_not_marked_as_errors() -> None:
    root = render_crispy_filter(bound_with_errors())
    assert "nhsuk-form-group--error" not in classes(group_of(root, "id_phone"))
    assert "nhsuk-input--error" not in classes(by_id(root, "id_phone"))


# Radios and checkboxes.


def test_radios_markup() -> None:
    root = render_crispy_filter(ExampleForm())
    group = group_of(root, "id_contact_0")
    (fieldset,) = find_all(group, "fieldset", css_class="nhsuk-fieldset")
    (legend,) = find_all(fieldset, "legend")
    assert classes(legend) == {"nhsuk-fieldset__legend", "nhsuk-fieldset__legend--s"}
    assert text(legend) == "How should we contact you?"
    assert describedby(fieldset) == ["id_contact-hint"]
    assert text(by_id(root, "id_contact-hint")) == "Select 1 option"

    (radios,) = find_all(fieldset, "div", css_class="nhsuk-radios")
    assert attr(radios, "data-module") == "nhsuk-radios"
    items = find_all(radios, "div", css_class="nhsuk-radios__item")
    inputs = [find_all(item, "input")[0] for item in items]
    ids = [attr(field, "id") for field in inputs]
    assert ids == ["id_contact_0", "id_contact_1", "id_contact_2"]
    for item, field in zip(items, inputs, strict=True):
        assert classes(field) == {"nhsuk-radios__input"}
        assert attr(field, "type") == "radio"
        assert attr(field, "name") == "contact"
        label = label_for(item, attr(field, "id"))
        assert classes(label) == {"nhsuk-label", "nhsuk-radios__label"}
    assert [text(label_for(root, id_)) for id_ in ids] == ["Email", "Phone", "Text message"]


def test_radios_keep_the_choice_after_an_error() -> None:
    root = render_crispy_filter(bound_with_errors())
    checked = [
        attr(field, "value") for field in by_name(root, "contact") if "checked" in dict(field.attributes)
    ]
    assert checked == ["phone"]


def test_radios_with_an_error() -> None:
    root = render_crispy_filter(ExampleForm(data={**WITH_ERRORS, "contact": ""}))
    group = group_of(root, "id_contact_0")
    (fieldset,) = find_all(group, "fieldset")
    assert "nhsuk-form-group--error" in classes(group)
    assert describedby(fieldset) == ["id_contact-hint", "id_contact-error"]
    assert text(by_id(root, "id_contact-error")) == "Error: This field is required."


def test_optional_radios_have_no_dashes_option() -> None:
    root = render_crispy_filter(ExampleForm())
    assert [attr(field, "value") for field in by_name(root, "travel")] == ["bus", "car"]
    assert "---------" not in text(root)


def test_checkboxes_markup_and_kept_choices() -> None:
    root = render_crispy_filter(bound_with_errors())
    group = group_of(root, "id_days_0")
    (fieldset,) = find_all(group, "fieldset")
    assert describedby(fieldset) == ["id_days-hint"]
    (checkboxes,) = find_all(fieldset, "div", css_class="nhsuk-checkboxes")
    assert attr(checkboxes, "data-module") == "nhsuk-checkboxes"
    inputs = by_name(root, "days")
    assert [attr(field, "id") for field in inputs] == ["id_days_0", "id_days_1", "id_days_2"]
    for field in inputs:
        assert classes(field) == {"nhsuk-checkboxes__input"}
        assert classes(label_for(root, attr(field, "id"))) == {"nhsuk-label", "nhsuk-checkboxes__label"}
    checked = [attr(field, "value") for field in inputs if "checked" in dict(field.attributes)]
    assert checked == ["tue", "wed"]


def test_checkboxes_with_an_error() -> None:
    root = render_crispy_filter(ExampleForm(data={**WITH_ERRORS, "days": []}))
    (fieldset,) = find_all(group_of(root, "id_days_0"), "fieldset")
    assert describedby(fieldset) == ["id_days-hint", "id_days-error"]
    assert "nhsuk-form-group--error" in classes(group_of(root, "id_days_0"))


def test_single_checkbox() -> None:
    root = render_crispy_filter(bound_with_errors())
    group = group_of(root, "id_agree")
    assert "nhsuk-form-group--error" in classes(group)
    (checkboxes,) = find_all(group, "div", css_class="nhsuk-checkboxes")
    (item,) = find_all(checkboxes, "div", css_class="nhsuk-checkboxes__item")
    field = by_id(item, "id_agree")
    assert classes(field) == {"nhsuk-checkboxes__input"}
    assert attr(field, "type") == "checkbox"
    assert text(label_for(item, "id_agree")) == "I agree to the privacy notice"
    assert text(by_id(root, "id_agree-hint")) == "It explains what we keep"
    assert text(by_id(root, "id_agree-error")) == "Error: This field is required."
    assert describedby(field) == ["id_agree-hint", "id_agree-error"]


def test_single_checkbox_stays_ticked() -> None:
    root = render_crispy_filter(ExampleForm(data={**WITH_ERRORS, "agree": "on"}))
    assert "checked" in dict(by_id(root, "id_agree").attributes)


# The date field in the template pack.


def date_inputs(root: Element) -> list[Element]:
    return [by_id(root, f"id_date_of_birth_{part}") for part in ("day", "month", "year")]


def test_date_input_unbound_markup() -> None:
    root = render_crispy_filter(ExampleForm())
    group = group_of(root, "id_date_of_birth_day")
    (fieldset,) = find_all(group, "fieldset")
    assert attr(fieldset, "role") == "group"
    assert describedby(fieldset) == ["id_date_of_birth-hint"]
    (legend,) = find_all(fieldset, "legend")
    assert text(legend) == "Date of birth"
    assert classes(by_id(root, "id_date_of_birth")) == {"nhsuk-date-input"}
    assert len(find_all(fieldset, "div", css_class="nhsuk-date-input__item")) == 3

    day, month, year = date_inputs(root)
    for field, name, label_text, width in (
        (day, "date_of_birth_day", "Day", "nhsuk-input--width-2"),
        (month, "date_of_birth_month", "Month", "nhsuk-input--width-2"),
        (year, "date_of_birth_year", "Year", "nhsuk-input--width-4"),
    ):
        assert attr(field, "name") == name
        assert attr(field, "type") == "text"
        assert attr(field, "inputmode") == "numeric"
        assert classes(field) == {"nhsuk-input", "nhsuk-date-input__input", width}
        label = label_for(root, attr(field, "id"))
        assert text(label) == label_text
        assert classes(label) == {"nhsuk-label", "nhsuk-date-input__label"}


def test_date_input_marks_the_missing_part_and_keeps_the_rest() -> None:
    root = render_crispy_filter(bound_with_errors())
    group = group_of(root, "id_date_of_birth_day")
    (fieldset,) = find_all(group, "fieldset")
    assert "nhsuk-form-group--error" in classes(group)
    assert describedby(fieldset) == ["id_date_of_birth-hint", "id_date_of_birth-error"]
    assert text(by_id(root, "id_date_of_birth-error")) == "Error: Date of birth must include a day"

    day, month, year = date_inputs(root)
    assert "nhsuk-input--error" in classes(day)
    assert "nhsuk-input--error" not in classes(month)
    assert "nhsuk-input--error" not in classes(year)
    assert (attr(month, "value"), attr(year, "value")) == ("3", "1980")


def test_date_input_keeps_an_impossible_date() -> None:
    data = {**VALID, "date_of_birth_day": "31", "date_of_birth_month": "2", "date_of_birth_year": "1980"}
    root = render_crispy_filter(ExampleForm(data=data))
    assert text(by_id(root, "id_date_of_birth-error")) == "Error: Enter a real date"
    assert [attr(field, "value") for field in date_inputs(root)] == ["31", "2", "1980"]


def test_date_input_marks_every_part_for_other_errors() -> None:
    form = ExampleForm(data=VALID)
    assert form.is_valid(), form.errors
    form.add_error("date_of_birth", "Date of birth must be in the past")
    root = render_crispy_filter(form)
    assert all("nhsuk-input--error" in classes(field) for field in date_inputs(root))


def test_date_input_shows_an_initial_date() -> None:
    root = render_crispy_filter(ExampleForm(initial={"date_of_birth": datetime.date(1980, 3, 5)}))
    assert [attr(field, "value") for field in date_inputs(root)] == ["5", "3", "1980"]


# Hidden fields, form-level errors and the error summary.


def test_hidden_field_renders_only_the_input() -> None:
    form = ExampleForm(initial={"next_page": "/me/"})
    root = render_crispy_filter(form)
    field = by_id(root, "id_next_page")
    assert attr(field, "type") == "hidden"
    assert attr(field, "value") == "/me/"
    assert not find_all(root, "label", **{"for": "id_next_page"})
    html = render("{{ form.next_page|as_crispy_field }}", form=form)
    assert parse(html).name == "input"


def test_non_field_errors_show_at_the_top_of_the_form() -> None:
    form = ExampleForm(data={**VALID, "full_name": "Nobody"})
    assert not form.is_valid()
    root = render_crispy_filter(form)
    first = next(elements(root))
    assert classes(first) == {"nhsuk-error-message"}
    assert text(first) == "Error: We could not save your answers, try again"


@pytest.mark.usefixtures("no_project_urls")
def test_the_form_does_not_include_the_error_summary_itself() -> None:
    form = bound_with_errors()
    assert "nhsuk-error-summary" not in render("{{ form|crispy }}", form=form)
    assert "nhsuk-error-summary" not in render("{% crispy form %}", form=form)


def render_summary(form: forms.Form) -> Element:
    return parse(render('{% include "nhsuk/_error_summary.html" with form=form %}', form=form))


def test_error_summary_links_to_the_first_input_of_each_field() -> None:
    form = ExampleForm(data={**WITH_ERRORS, "full_name": "Nobody", "contact": "", "days": []})
    assert not form.is_valid()
    summary = render_summary(form)

    assert classes(summary) == {"nhsuk-error-summary"}
    assert attr(summary, "data-module") == "nhsuk-error-summary"
    (alert,) = find_all(summary, "div", role="alert")
    (heading,) = find_all(alert, "h2", css_class="nhsuk-error-summary__heading")
    assert text(heading) == "There is a problem"
    (error_list,) = find_all(alert, "ul", css_class="nhsuk-error-summary__list")
    items = find_all(error_list, "li")
    # The form-level error comes first, as plain text.
    assert text(items[0]) == "We could not save your answers, try again"
    assert not find_all(items[0], "a")

    links = {attr(link, "href"): text(link) for link in find_all(error_list, "a")}
    assert links == {
        "#id_email": "Enter a valid email address.",
        "#id_activities": "Enter a whole number.",
        "#id_website": "Enter a valid URL.",
        "#id_details": "This field is required.",
        "#id_location": "This field is required.",
        "#id_contact_0": "This field is required.",
        "#id_days_0": "This field is required.",
        "#id_agree": "This field is required.",
        "#id_date_of_birth_day": "Date of birth must include a day",
    }
    # Every link lands on an input that the form really renders.
    page = render_crispy_filter(form)
    for href in links:
        assert by_id(page, href.removeprefix("#")).name in {"input", "select", "textarea"}


def test_error_summary_links_to_the_first_wrong_date_part() -> None:
    data = {**VALID, "date_of_birth_month": "", "date_of_birth_year": ""}
    links = find_all(render_summary(ExampleForm(data=data)), "a")
    assert [(attr(link, "href"), text(link)) for link in links] == [
        ("#id_date_of_birth_month", "Date of birth must include a month and year")
    ]


def test_no_error_summary_without_errors() -> None:
    assert (
        render('{% include "nhsuk/_error_summary.html" with form=form %}', form=ExampleForm()).strip() == ""
    )
    assert (
        render('{% include "nhsuk/_error_summary.html" with form=form %}', form=ExampleForm(VALID)).strip()
        == ""
    )


# {% crispy %} with a FormHelper and layout objects.


class HelperForm(forms.Form):
    full_name = forms.CharField(label="Full name")
    nickname = forms.CharField(label="Nickname (optional)", required=False)
    start = DateField(label="Start date")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "about-you"
        self.helper.layout = Layout(
            Fieldset(
                "About you",
                Field("full_name", css_class="nhsuk-u-width-two-thirds", autocomplete="name"),
                "nickname",
            ),
            Div("start", css_class="nhsuk-u-margin-bottom-4"),
            HTML('<p class="nhsuk-body">We will not share this.</p>'),
        )
        self.helper.add_input(Submit("save", "Save and continue"))


@pytest.fixture
def no_project_urls(settings: Settings) -> None:
    settings.ROOT_URLCONF = __name__


@pytest.mark.usefixtures("no_project_urls")
def test_crispy_tag_renders_the_form_with_a_submit_button() -> None:
    root = parse(render("{% crispy form %}", form=HelperForm(), csrf_token="token-value"))

    assert root.name == "form"
    assert attr(root, "id") == "about-you"
    assert attr(root, "method") == "post"
    assert "novalidate" in dict(root.attributes)
    (csrf,) = by_name(root, "csrfmiddlewaretoken")
    assert attr(csrf, "value") == "token-value"

    (button,) = find_all(root, "button")
    assert classes(button) == {"nhsuk-button"}
    assert attr(button, "type") == "submit"
    assert attr(button, "data-module") == "nhsuk-button"
    assert text(button) == "Save and continue"


@pytest.mark.usefixtures("no_project_urls")
def test_crispy_tag_layout_objects() -> None:
    root = parse(render("{% crispy form %}", form=HelperForm(data={"full_name": "", "start_day": "1"})))

    (fieldset,) = [fs for fs in find_all(root, "fieldset") if "About you" in text(find_all(fs, "legend")[0])]
    assert classes(fieldset) == {"nhsuk-fieldset"}
    assert classes(find_all(fieldset, "legend")[0]) == {"nhsuk-fieldset__legend", "nhsuk-fieldset__legend--m"}
    full_name = by_id(fieldset, "id_full_name")
    assert classes(full_name) == {"nhsuk-input", "nhsuk-input--error", "nhsuk-u-width-two-thirds"}
    assert attr(full_name, "autocomplete") == "name"
    assert text(by_id(root, "id_full_name-error")) == "Error: This field is required."
    assert by_id(fieldset, "id_nickname")

    (div,) = find_all(root, "div", css_class="nhsuk-u-margin-bottom-4")
    assert text(by_id(div, "id_start-error")) == "Error: Start date must include a month and year"
    assert attr(by_id(div, "id_start_day"), "value") == "1"
    assert text(find_all(root, "p", css_class="nhsuk-body")[0]) == "We will not share this."


@pytest.mark.usefixtures("no_project_urls")
def test_crispy_tag_without_a_layout_renders_every_field() -> None:
    form = HelperForm()
    form.helper.layout = None
    root = parse(render("{% crispy form %}", form=form))
    assert by_id(root, "id_full_name")
    assert by_id(root, "id_nickname")
    assert by_id(root, "id_start_day")
    assert find_all(root, "button", type="submit")


@pytest.mark.usefixtures("no_project_urls")
def test_helper_can_hide_error_messages() -> None:
    form = HelperForm(data={})
    form.helper.form_show_errors = False
    root = parse(render("{% crispy form %}", form=form))
    assert not find_all(root, css_class="nhsuk-error-message")
    # Django would otherwise name its own "id_full_name_error", which is not on the page.
    assert attr(by_id(root, "id_full_name"), "aria-describedby") is None


def test_as_crispy_field_renders_one_field() -> None:
    form = ExampleForm(data=WITH_ERRORS)
    root = parse(render("{{ form.email|as_crispy_field }}", form=form))
    assert classes(root) == {"nhsuk-form-group", "nhsuk-form-group--error"}
    assert attr(by_id(root, "id_email"), "value") == "not-an-email"
    assert text(label_for(root, "id_email")) == "Email address (optional)"


# DateField and DateInput on their own.


class DateForm(forms.Form):
    start = DateField(label="Start date")
    end = DateField(label="Return date (optional)", required=False)


def date_form(start: tuple[str, str, str], end: tuple[str, str, str] = ("", "", "")) -> DateForm:
    data = {
        f"{name}_{part}": value
        for name, parts in (("start", start), ("end", end))
        for part, value in zip(("day", "month", "year"), parts, strict=True)
    }
    return DateForm(data=data)


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("31", "3", "1980"), datetime.date(1980, 3, 31)),
        (("01", "02", "2024"), datetime.date(2024, 2, 1)),
        ((" 29 ", "2", "2024"), datetime.date(2024, 2, 29)),
    ],
)
def test_date_field_valid(parts: tuple[str, str, str], expected: datetime.date) -> None:
    form = date_form(parts)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["start"] == expected
    assert form.cleaned_data["end"] is None


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("31", "2", "2024"), "Enter a real date"),
        (("29", "2", "2023"), "Enter a real date"),
        (("1", "13", "2024"), "Enter a real date"),
        (("0", "1", "2024"), "Enter a real date"),
        (("first", "1", "2024"), "Enter a real date"),
        (("1", "1", "0000"), "The year must be 1900 or later"),
        (("1", "1", "24"), "Enter the year as 4 numbers"),
        (("1", "1", "20245"), "Enter the year as 4 numbers"),
        (("", "3", "1980"), "Start date must include a day"),
        (("1", "", "1980"), "Start date must include a month"),
        (("1", "3", ""), "Start date must include a year"),
        (("", "", "1980"), "Start date must include a day and month"),
        (("1", "", ""), "Start date must include a month and year"),
        (("", "", ""), "Enter start date"),
    ],
)
def test_date_field_errors(parts: tuple[str, str, str], message: str) -> None:
    form = date_form(parts)
    assert not form.is_valid()
    assert form.errors["start"] == [message]


def test_date_field_message_leaves_out_optional() -> None:
    form = date_form(("1", "1", "2024"), ("", "6", "2027"))
    assert not form.is_valid()
    assert form.errors["end"] == ["Return date must include a day"]


@pytest.mark.parametrize(
    ("label", "message"),
    [("Start date", "Enter start date"), ("NHS start date", "Enter NHS start date"), (None, "Enter date")],
)
def test_date_field_required_message_uses_the_label(label: str | None, message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        DateField(label=label).clean(["", "", ""])
    assert raised.value.messages == [message]


def test_date_field_error_names_the_wrong_parts() -> None:
    field = DateField(label="Start date")
    with pytest.raises(ValidationError) as raised:
        field.clean(["", "3", ""])
    assert raised.value.code == "incomplete"
    assert raised.value.params["parts"] == ("day", "year")


def test_date_field_messages_can_be_overridden() -> None:
    field = DateField(label="Date of birth", error_messages={"required": "Enter your date of birth"})
    with pytest.raises(ValidationError) as raised:
        field.clean(["", "", ""])
    assert raised.value.messages == ["Enter your date of birth"]


def test_date_field_runs_validators() -> None:
    def not_in_future(value: datetime.date) -> None:
        if value > datetime.date(2030, 1, 1):
            raise ValidationError("The date must be before 2030")

    field = DateField(label="Start date", validators=[not_in_future])
    assert field.clean(["1", "1", "2029"]) == datetime.date(2029, 1, 1)
    with pytest.raises(ValidationError, match="before 2030"):
        field.clean(["1", "1", "2031"])


def test_date_field_has_changed() -> None:
    field = DateField(label="Start date")
    assert not field.has_changed(datetime.date(2024, 3, 1), ["01", "03", "2024"])
    assert field.has_changed(datetime.date(2024, 3, 1), ["2", "3", "2024"])
    assert field.has_changed(None, ["31", "2", "2024"])


def test_date_input_on_its_own() -> None:
    widget = DateInput()
    assert widget.decompress(datetime.date(2027, 3, 15)) == ["15", "3", "2027"]
    assert widget.decompress(None) == [None, None, None]
    assert widget.value_from_datadict(
        {"when_day": "1", "when_month": "2", "when_year": "2003"}, {}, "when"
    ) == [
        "1",
        "2",
        "2003",
    ]

    root = parse(widget.render("when", datetime.date(2027, 3, 15), attrs={"id": "id_when"}))
    fields = find_all(root, "input")
    assert [(attr(f, "name"), attr(f, "id"), attr(f, "value")) for f in fields] == [
        ("when_day", "id_when_day", "15"),
        ("when_month", "id_when_month", "3"),
        ("when_year", "id_when_year", "2027"),
    ]
    for field in fields:
        assert attr(field, "inputmode") == "numeric"
        assert {"nhsuk-input", "nhsuk-date-input__input"} <= classes(field)
    assert DateForm()["start"].id_for_label == "id_start_day"


# Years in a window, and numbers too big for a date (issue 9, item 11).


def this_year() -> int:
    from django.utils import timezone

    return timezone.localdate().year


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("31", "12", "9999"), "The year must be {latest} or earlier"),
        (("1", "1", "{too_late}"), "The year must be {latest} or earlier"),
        (("31", "12", "1899"), "The year must be 1900 or later"),
        (("1", "1", "0001"), "The year must be 1900 or later"),
    ],
)
def test_date_field_takes_years_from_1900_to_ten_years_ahead(parts, message) -> None:
    latest = this_year() + 10
    form = date_form(tuple(part.format(too_late=latest + 1) for part in parts))
    assert not form.is_valid()
    assert form.errors["start"] == [message.format(latest=latest)]
    # The year box is the one marked as wrong.
    assert form.errors.as_data()["start"][0].params["parts"] == ("year",)


def test_date_field_takes_the_edges_of_its_window() -> None:
    latest = this_year() + 10
    assert date_form(("1", "1", "1900")).is_valid()
    assert date_form(("31", "12", str(latest))).is_valid()


def test_date_field_window_can_be_narrowed_and_moves_with_the_calendar() -> None:
    field = DateField(label="Date", min_year=2020, max_year=lambda: this_year() + 2)
    assert field.clean(["1", "1", str(this_year() + 2)]) == datetime.date(this_year() + 2, 1, 1)
    with pytest.raises(ValidationError) as raised:
        field.clean(["1", "1", str(this_year() + 3)])
    assert raised.value.messages == [f"The year must be {this_year() + 2} or earlier"]
    with pytest.raises(ValidationError) as raised:
        field.clean(["1", "1", "2019"])
    assert raised.value.messages == ["The year must be 2020 or later"]


@pytest.mark.parametrize(
    "parts", [("9" * 20, "1", "2027"), ("1", "9" * 20, "2027"), ("32", "1", "2027"), ("1", "1", "9" * 20)]
)
def test_date_field_answers_numbers_too_big_for_a_date_with_a_message(parts) -> None:
    """A day of 99999999999999999999 used to reach datetime.date and overflow: a 500."""
    form = date_form(parts)
    assert not form.is_valid()
    assert form.errors["start"] in (["Enter a real date"], ["Enter the year as 4 numbers"])


# Length limits in plain English, without the maxlength attribute (issue 9, item 12).


class LimitedForm(LengthLimitsMixin, forms.Form):
    title = forms.CharField(label="Title", max_length=10)
    note = forms.CharField(label="What would help you? (optional)", max_length=2000, required=False)
    reason = forms.CharField(label="Reason", max_length=5, error_messages={"max_length": "Keep it short"})


def test_length_limits_are_explained_by_the_field_and_the_text_kept() -> None:
    form = LimitedForm(data={"title": "x" * 11, "note": "y" * 2001, "reason": "z" * 6})
    assert not form.is_valid()
    assert form.errors["title"] == ["Title must be 10 characters or fewer"]
    assert form.errors["note"] == ["Your answer must be 2,000 characters or fewer"]
    assert form.errors["reason"] == ["Keep it short"]  # a form's own message wins
    assert 'value="xxxxxxxxxxx"' in str(form["title"])


def test_length_limits_do_not_cut_text_off_in_the_browser() -> None:
    """`maxlength` makes a browser drop whatever is pasted past the limit without a word."""
    form = LimitedForm()
    assert "maxlength" not in str(form["title"]) and "maxlength" not in str(form["note"])
