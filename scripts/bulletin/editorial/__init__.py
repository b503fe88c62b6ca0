"""The editorial verbs: check, fix, new, assemble, notice, verify."""
