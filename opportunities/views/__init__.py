"""The opportunities pages, by group: `browse` (browse, detail and a person's own actions),
`manage` (the worker's pages for an opportunity) and `participants` (sign-ups, attendance and
selection). What they share is in `common`; the URLs are in opportunities/urls.py."""
