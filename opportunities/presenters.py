"""What a person is about to do and what will follow, computed once for the templates."""

from dataclasses import dataclass, field

from opportunities.models import Opportunity, SignUp
from opportunities.services import ACCEPT, DECLINE, HOLDS_PLACE, WITHDRAW, signup_action_refusal

State = SignUp.State


@dataclass
class SignUpActionPage:
    """A confirmation page for a representative's own action on their sign-up."""

    action: str
    heading: str
    button: str
    # What will happen, one plain sentence each.
    consequences: list[str] = field(default_factory=list)
    # Why the action cannot be taken now, or "".
    refusal: str = ""
    # Accepting shows the dates first, so nobody takes a place they cannot come to.
    show_sessions: bool = False


def _next_person(opportunity: Opportunity, whose: str) -> str:
    # The waiting-list length is kept by the services under the row lock, so this reads no
    # sign-ups. Where nobody is waiting, the place is simply free again.
    if opportunity.waitlist_length:
        return f"{whose} place will be offered to the next person on the waiting list."
    return f"{whose} place will be free for someone else to take."


def signup_action_page(*, signup: SignUp, opportunity: Opportunity, action: str) -> SignUpActionPage:
    refusal = signup_action_refusal(signup=signup, opportunity=opportunity, action=action)
    title = opportunity.title
    never_held = "It is never held against you, and it does not lower your priority for other places."
    if action == WITHDRAW:
        page = SignUpActionPage(action, f"Withdraw from {title}?", "Yes, withdraw", refusal=refusal)
        if signup.state in HOLDS_PLACE:
            page.consequences.append(_next_person(opportunity, "Your"))
            if signup.state == State.CONFIRMED:
                page.consequences.append("You will not get reminders about its sessions.")
        elif signup.state == State.APPLIED:
            page.consequences.append(
                "Your application will be withdrawn, so you will not be offered a place."
            )
        elif signup.state == State.WAITLISTED:
            page.consequences.append("You will leave the waiting list, and the people behind you move up.")
        page.consequences += [
            "If you change your mind, you can sign up again while sign-ups are open, "
            "but your place is not kept for you.",
            never_held,
        ]
        return page
    if action == DECLINE:
        return SignUpActionPage(
            action,
            f"Decline the place on {title}?",
            "Yes, decline the place",
            consequences=[_next_person(opportunity, "The"), never_held],
            refusal=refusal,
        )
    if action == ACCEPT:
        return SignUpActionPage(
            action,
            f"Accept the place on {title}",
            "Accept the place",
            consequences=[
                "Your place will be confirmed, and we will send you the details.",
                "We will remind you before each session.",
                "You can still withdraw later if you need to. " + never_held,
            ],
            refusal=refusal,
            show_sessions=True,
        )
    raise ValueError(f"Unknown action: {action}")
