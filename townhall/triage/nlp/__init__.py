"""Triage NLP (placeholder while building)."""
