"""The words of the first charter, in plain English (a reading age of about 9 to 11: the
test in charter/tests/test_first_charter.py measures each section). The demo publishes
them as version 1, co-signed by demo people; a real service would agree its own first
version with its representatives and publish it the same way (`charter_first_publish`)."""

from charter.sections import SectionKey

FIRST_CHARTER: dict[str, str] = {
    SectionKey.MEANING: (
        "Involvement means you help us make our services better. You use our services, or you care "
        "for someone who does. That means you know things we do not. We want to hear them. "
        "We plan, test and change things with you, not just for you."
    ),
    SectionKey.FROM_US: (
        "We will treat you with respect. We will tell you what each activity is for and how much "
        "say you will have. We will send you papers at least a week before a meeting. "
        "We will tell you what changed because of what you said. You will have a named worker "
        "you can talk to."
    ),
    SectionKey.FROM_YOU: (
        "Please be kind to the people you work with. Keep private what people share in a meeting. "
        "Tell us if you cannot come, as soon as you can. You do not have to share anything you do "
        "not want to. You can say no to any activity."
    ),
    SectionKey.PAYMENT: (
        "Your time has value. We pay you for most activities, and we pay your travel costs too. "
        "You choose how you are paid. You can take the full fee, a smaller amount, a voucher, or "
        "no money at all. Some money can change your benefits. Your worker can help you check."
    ),
    SectionKey.WELLBEING: (
        "Talking about your own life can be hard. You can take a break in a meeting at any time. "
        "After each activity we will ask how it went. If you want a chat, your worker will call "
        "you. You can take a break from being involved, and come back when you are ready."
    ),
    SectionKey.CONCERN: (
        "If something is wrong, please tell us. You can talk to your named worker, or to any "
        "member of staff. If you would rather not, you can write to the involvement team. "
        "We will reply within ten working days. Raising a concern will never be held against you."
    ),
    SectionKey.LEVELS: (
        "Some activities give you more say than others. Each activity shows its level, so you "
        "know what to expect before you sign up. Here is what each level means."
    ),
    SectionKey.LEVEL_INFORMING: (
        "We tell you about a choice we have made and why. You can ask us questions about it."
    ),
    SectionKey.LEVEL_CONSULTING: (
        "We ask what you think before we decide. We tell you what we did with your views."
    ),
    SectionKey.LEVEL_ENGAGING: (
        "You help shape the work while it is going on. We tell you what changed because of you."
    ),
    SectionKey.LEVEL_CO_DESIGNING: (
        "You plan a service or a change with staff. Your ideas are part of the plan from the start."
    ),
    SectionKey.LEVEL_CO_PRODUCING: (
        "You and staff share the power and the choices, from the start to the end. "
        "Nobody decides without you."
    ),
}
