"""Payments' pages: the person's (me.py), receipts behind a permission check (receipts.py),
the worker's review and finance's export (in modules of their own)."""
