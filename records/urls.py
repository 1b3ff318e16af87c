"""Records' pages. The person's (/me/record/...) and the worker's (/worker/references/...)
are gathered into the `me` and `worker` namespaces by home/urls.py; the public verify page
is in the `records` namespace (/verify/<code>/)."""

from django.urls import path

from records.views import certificates, record, references, verify, worker_record

me_record_patterns: list = [
    path("record/", record.record, name="record"),
    path("record/about/", record.statement_edit, name="record_statement"),
    path("record/activities/<int:signup_id>/role/", record.activity_role, name="record_role"),
    path("record/certificates/", certificates.certificate_list, name="certificates"),
    path("record/certificates/new/", certificates.certificate_new, name="certificate_new"),
    path("record/certificates/<int:certificate_id>/", certificates.certificate_detail, name="certificate"),
    path(
        "record/certificates/<int:certificate_id>/pdf/", certificates.certificate_pdf, name="certificate_pdf"
    ),
    path(
        "record/certificates/<int:certificate_id>/withdraw/",
        certificates.certificate_withdraw_view,
        name="certificate_withdraw",
    ),
    path("record/references/new/", references.reference_new, name="reference_new"),
    path("record/references/<int:reference_id>/", references.reference_detail, name="reference"),
    path("record/references/<int:reference_id>/pdf/", references.reference_pdf, name="reference_pdf"),
]

worker_reference_patterns: list = [
    path("references/", references.worker_references, name="references"),
    path("references/<int:reference_id>/", references.worker_reference, name="reference"),
    path("people/<int:person_id>/record/", worker_record.person_record, name="person_record"),
    path(
        "people/<int:person_id>/record/activities/<int:signup_id>/role/",
        worker_record.person_record_role,
        name="person_record_role",
    ),
]

app_name = "records"
urlpatterns: list = [
    # The code is token_urlsafe's alphabet; anything else cannot be a code.
    path("<str:code>/", verify.verify, name="verify"),
]
