"""Renderers: turn the domain model into published files (Excel tables, Word documents)."""
