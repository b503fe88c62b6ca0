"""Publishing: the site pages generated from the desk (a thin mkdocs plugin), the sanitiser, the red-masthead PDFs, the per-audience builds and the web server configuration."""
