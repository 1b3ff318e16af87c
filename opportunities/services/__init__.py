"""Every change to opportunities and sign-ups, split by concern:

- `states`: the state machines (written down once), the error type, what may happen now;
- `places`: the lock, place numbers, the waiting list, moving a sign-up between states;
- `sessions`: checking and saving sessions, and telling people when one changes;
- `opportunities`: create, edit, publish, close, complete, cancel, duplicate, the lead;
- `signups`: sign up, withdraw, accept, decline; offer by hand, cancel, attendance;
- `selection`: the fair-share ranking and its run;
- `jobs`: the periodic jobs (offers that lapse, selections due, reminders);
- `participant_messages`: the lead worker's message to the people taking part;
- `training`: completions, the prerequisite rule, the next date, the expiry reminders.

Callers import from here; the names below are the public ones.
"""

from opportunities.services.jobs import offers_expire, reminders_send, selections_due
from opportunities.services.opportunities import (
    opportunity_cancel,
    opportunity_change_lead,
    opportunity_close,
    opportunity_complete,
    opportunity_duplicate,
    opportunity_publish,
    opportunity_save,
)
from opportunities.services.participant_messages import ParticipantMessageSent, participants_message_send
from opportunities.services.selection import (
    offer_passes_over,
    selection_preview,
    selection_rank,
    selection_run,
)
from opportunities.services.sessions import SessionData
from opportunities.services.signups import (
    OFFER_REASON_MAX_LENGTH,
    attendance_record,
    attendance_record_session,
    signup_accept,
    signup_cancel,
    signup_create,
    signup_decline,
    signup_offer_by_hand,
    signup_withdraw,
)
from opportunities.services.states import (
    ACCEPT,
    ACTIVE,
    DECLINE,
    HOLDS_PLACE,
    OPPORTUNITY_TRANSITIONS,
    TRANSITIONS,
    WITHDRAW,
    OpportunityError,
    opportunity_complete_refusal,
    signup_action_refusal,
)
from opportunities.services.training import (
    TrainingNeeded,
    TrainingRecorded,
    current_training_q,
    next_training,
    people_with_current_training,
    training_expiry_reminders_send,
    training_needed,
    training_needed_on,
    training_record,
    training_record_attended,
)

__all__ = [
    "ACCEPT",
    "ACTIVE",
    "DECLINE",
    "HOLDS_PLACE",
    "OFFER_REASON_MAX_LENGTH",
    "OPPORTUNITY_TRANSITIONS",
    "TRANSITIONS",
    "TrainingNeeded",
    "TrainingRecorded",
    "WITHDRAW",
    "OpportunityError",
    "ParticipantMessageSent",
    "SessionData",
    "attendance_record",
    "attendance_record_session",
    "current_training_q",
    "next_training",
    "offer_passes_over",
    "offers_expire",
    "opportunity_cancel",
    "opportunity_change_lead",
    "opportunity_close",
    "opportunity_complete",
    "opportunity_complete_refusal",
    "opportunity_duplicate",
    "opportunity_publish",
    "opportunity_save",
    "participants_message_send",
    "people_with_current_training",
    "reminders_send",
    "selection_preview",
    "selection_rank",
    "selection_run",
    "selections_due",
    "signup_accept",
    "signup_action_refusal",
    "signup_cancel",
    "signup_create",
    "signup_decline",
    "signup_offer_by_hand",
    "signup_withdraw",
    "training_expiry_reminders_send",
    "training_needed",
    "training_needed_on",
    "training_record",
    "training_record_attended",
]
