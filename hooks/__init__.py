"""MkDocs hooks of the site (listed under ``hooks:`` in mkdocs.yml).

MkDocs loads each file by its path; the package exists so tests can import them.
"""
