"""The vocabulary demo/scale.py builds its benchmark data set from: wards, sites, roles and
subjects of the Trust's work, the sentences descriptions are made of, and how often each
activity type is posted. Plain English, so full-text searches match as they would in real life.
"""

from dataclasses import dataclass
from datetime import time

from opportunities.models import Format

WARDS = ["Alder", "Ash", "Beech", "Birch", "Cedar", "Elm", "Hazel", "Holly", "Juniper", "Larch"]
WARDS += ["Maple", "Oak", "Poplar", "Rowan", "Willow", "Yew"]
SITES = [
    ("North", "Northfield Hospital, 1 Field Lane"),
    ("South", "Southbank Hospital, 40 River Road"),
    ("East", "Eastgate House, 18 Canal Street"),
    ("West", "Westwood Hospital, 7 Wood Lane"),
    ("City centre", "The Orchard Centre, 4 Mill Lane"),
    ("Hillside", "Hillside Health Centre, 1 Hill Road"),
]
ROLES = [
    "ward manager",
    "community mental health nurse",
    "peer support worker",
    "consultant psychiatrist",
    "clinical psychologist",
    "occupational therapist",
    "crisis team practitioner",
    "team leader",
    "social worker",
    "pharmacist",
    "health care assistant",
    "service manager",
    "recovery college tutor",
    "family therapist",
]
TRAINING_TOPICS = [
    "trauma-informed care",
    "suicide prevention",
    "what helps after self-harm",
    "recovery-focused care planning",
    "reducing restraint on wards",
    "hearing voices",
    "working with families and carers",
    "eating disorders",
    "beyond the label of personality disorder",
    "early intervention in psychosis",
    "safety planning in a crisis",
    "drugs, alcohol and mental health",
    "compassionate dementia care",
    "racism and mental health care",
    "the first conversation in a crisis",
]
AUDIENCES = ["ward teams", "student nurses", "new starters", "community teams", "doctors in training"]
AUDIENCES += ["crisis teams", "receptionists", "managers"]
SUBJECTS = [
    "the crisis line",
    "leaving hospital",
    "the ward welcome pack",
    "care plan letters",
    "the recovery college prospectus",
    "the crisis house",
    "the carers' handbook",
    "appointment letters",
    "the complaints process",
    "community team waiting lists",
    "the move from young people's to adult services",
    "the memory service",
    "the first assessment",
]
STUDIES = [
    "peer support after leaving hospital",
    "online therapy for anxiety",
    "early intervention in psychosis",
    "loneliness in later life",
    "side effects of medication",
    "physical health checks",
    "young people's crisis care",
    "sleep on inpatient wards",
    "help to find and keep work",
    "restraint and seclusion on wards",
]
CONSULTATIONS = [
    "the new inpatient unit",
    "community team opening hours",
    "the carers' strategy",
    "moving the memory clinic",
    "the Trust's five-year plan",
    "crisis care at night",
    "the recovery college timetable",
    "the involvement strategy",
    "food on the wards",
    "visiting times",
]
BRIEFINGS = [
    "changes to CAMHS referrals",
    "the new patient portal",
    "how complaints are handled",
    "the new crisis phone number",
    "personal health budgets",
    "changes to the Mental Health Act",
    "the smoke-free hospital policy",
    "how we use your health records",
]


@dataclass(frozen=True)
class TypeMix:
    """How one activity type is posted: how often, by which team if it has a usual one,
    how many places, and how often places are shared by fair share."""

    weight: int
    usual_team: str | None
    places: tuple[int, int]
    fair_share: float


KINDS: dict[str, TypeMix] = {
    "Interview panel": TypeMix(25, "Recruitment and workforce", (2, 4), 0.5),
    "Staff training": TypeMix(20, "Recruitment and workforce", (4, 16), 0.2),
    "Co-production group": TypeMix(15, None, (6, 12), 0.3),
    "Research advisory group": TypeMix(10, "Research and development", (4, 10), 0.5),
    "Quality visit": TypeMix(10, None, (2, 4), 0.3),
    "Consultation event": TypeMix(12, None, (15, 40), 0.0),
    "Information session": TypeMix(8, None, (20, 60), 0.0),
}

GENERAL = [
    "You do not need any experience: we will go through everything with you beforehand.",
    "An involvement worker is there on the day, and checks in with you afterwards.",
    "Talking about a crisis can bring things back. You can step out or stop at any time.",
    "We will tell you what changed because of what you said.",
    "People who have used our services, and their carers, are welcome.",
    "Places are shared fairly, so people involved least this year come first.",
    "You choose how much of your own story to share.",
    "Staff and representatives make the decisions together, as equals.",
    "We send the papers a week before, in large print or easy read if you ask.",
    "Your views help train staff and shape how our services work.",
    "Travel is paid, and we can book a taxi if public transport is hard for you.",
]
BY_TYPE = {
    "Interview panel": [
        "You will ask two of the questions and score each candidate with the rest of the panel.",
        "Everything candidates say at interview is confidential.",
        "We meet half an hour before the interviews to go through the questions and scoring.",
    ],
    "Staff training": [
        "The training helps staff understand what good care feels like from the other side.",
        "You can share your experience, answer questions, or help run a role-play.",
        "Our trainer plans the session with you so there are no surprises.",
    ],
    "Co-production group": [
        "We map how things work today, design the changes, then test them together.",
        "The group decides what changes, not just what staff suggest.",
        "Your ideas go straight into the redesign.",
    ],
    "Research advisory group": [
        "You help decide which questions the study asks and check the information sheets.",
        "The researchers report back at every meeting on what they changed.",
        "You will help decide how the results are shared with the people they affect.",
    ],
    "Quality visit": [
        "You walk round the ward with a senior nurse and talk to anyone who wants to talk.",
        "We look at food, noise, privacy, activities and how people are treated.",
        "The ward manager replies in writing with what they will change.",
    ],
    "Consultation event": [
        "There is a short talk, then small groups with a facilitator.",
        "You can also send written comments if a group is not for you.",
        "Nothing has been decided yet: this is your chance to change the plan.",
    ],
    "Information session": [
        "The team explains what is changing and why, then answers your questions.",
        "Your questions will go into the leaflet we write for everyone else.",
    ],
}
ACCESSIBILITY = {
    Format.IN_PERSON: "Step-free access, a hearing loop and an accessible toilet. There is a quiet room "
    "and a break every hour.",
    Format.ONLINE: "On Microsoft Teams with live captions. Cameras are optional and you can type in the "
    "chat. We can lend a tablet and data.",
    Format.HYBRID: "Join in person (step-free, hearing loop, quiet room) or online with live captions. "
    "A break every hour.",
}
PAYMENTS = [
    "£25 an hour, including an hour of preparation, plus travel expenses.",
    "£75 for each session, including preparation, plus travel expenses and lunch.",
    "A £20 voucher for each meeting. Vouchers still count as earnings if you claim benefits.",
]
UNPAID = "This is voluntary. We pay travel expenses."
NOTES = ["A seat near the door, please.", "I will need a break every hour.", "A large-print pack would help."]
NOTES += ["I may need to leave early to collect my children.", "I would like to come with my support worker."]
START_TIMES = [time(9, 30), time(10), time(11), time(13), time(14)]
CANCEL_REASONS = [
    "The team has had to put this back. We will advertise a new date soon.",
    "Not enough staff could be there to make it worthwhile. Sorry for the change.",
]
