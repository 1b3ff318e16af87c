"""UK mobile numbers for text messages, checked with `phonenumbers` and kept in E.164.

Texts go only to UK mobiles: Notify charges more abroad, and a landline cannot take a text.
Each refusal says what is wrong, so that the person can put it right beside the field.
"""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from phonenumbers import NumberParseException, PhoneNumberType

# Ofcom keeps 07700 900000 to 900999 for drama, and GOV.UK Notify's test numbers are in that
# range: phonenumbers calls them invalid, but they are mobiles that belong to nobody, so the
# demo data and the tests use them.
DRAMA_MOBILE = re.compile(r"^\+447700900\d{3}$")

MALFORMED = "Enter a UK mobile number, like 07700 900 982"
FOREIGN = "Enter a UK mobile number: we can only send texts to numbers in the UK, like 07700 900 982"
NOT_MOBILE = "Enter a mobile number: this looks like a landline, and a landline cannot get texts"


def uk_mobile_e164(raw: str) -> str:
    """The number in E.164 (+447700900982), or a ValidationError that says what is wrong."""
    text = (raw or "").strip()
    if not text or re.search(r"[A-Za-z]", text):
        raise ValidationError(MALFORMED, code="malformed")
    try:
        number = phonenumbers.parse(text, "GB")
    except NumberParseException:
        raise ValidationError(MALFORMED, code="malformed") from None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if DRAMA_MOBILE.match(e164):
        return e164
    if number.country_code != 44:
        raise ValidationError(FOREIGN, code="foreign")
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(MALFORMED, code="malformed")
    # Guernsey, Jersey and the Isle of Man share +44 but are not the UK's networks.
    if phonenumbers.region_code_for_number(number) != "GB":
        raise ValidationError(FOREIGN, code="foreign")
    if phonenumbers.number_type(number) != PhoneNumberType.MOBILE:
        raise ValidationError(NOT_MOBILE, code="landline")
    return e164


def national_format(e164: str) -> str:
    """+447700900982 as a person writes it: 07700 900982."""
    try:
        number = phonenumbers.parse(e164, "GB")
    except NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
