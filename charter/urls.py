from django.urls import path

from charter import agreement_views, views

app_name = "charter"

urlpatterns = [
    path("", views.charter_current, name="current"),
    path("versions/", views.charter_history, name="history"),
    path("versions/<int:number>/", views.charter_version, name="version"),
    path("compare/", views.charter_compare, name="compare"),
    path("proposals/", views.proposal_list, name="proposals"),
    path("proposals/new/", views.proposal_new, name="proposal_new"),
    path("proposals/<int:proposal_id>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:proposal_id>/edit/", views.proposal_edit, name="proposal_edit"),
    path("proposals/<int:proposal_id>/co-sign/", views.proposal_co_sign_view, name="co_sign"),
    path("proposals/<int:proposal_id>/publish/", views.proposal_publish_view, name="publish"),
]

# Under /me/ and /worker/ (home.urls), beside the other pages of those areas.
me_charter_patterns = [path("agreement/", agreement_views.agreement, name="agreement")]
worker_charter_patterns = [
    path("charter-questions/<int:question_id>/", agreement_views.question_detail, name="charter_question")
]
