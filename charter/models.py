"""The co-signed involvement charter and personal agreements (issue 15)."""
