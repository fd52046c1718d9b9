"""Rendering helpers shared by the site pages and the PDF report (no MkDocs imports here)."""
