"""Hostile input kept in the repository: strings (strings.txt) and small malformed files; the
large ones (a 1 MB line, a zip bomb, a huge declared dimension) are built by `files.build()`."""
