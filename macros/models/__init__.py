"""Pydantic schemas for the site's YAML datasets, one module per dataset."""
