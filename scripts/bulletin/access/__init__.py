"""Who may do what: roles, CODEOWNERS, the server hooks."""
