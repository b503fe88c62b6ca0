"""Publishing: the mkdocs plugin (site pages generated from the desk)."""
