"""Reading and writing the desk: its folders, front matter, configuration, git, atomic writes, the registers, receipts and the one reading of the desk (snapshot)."""
