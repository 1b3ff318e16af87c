"""The involvement record: certificates, references and training (issue 14)."""
