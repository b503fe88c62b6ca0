"""The network of desks: the desk above (bulletin.yml `upstream`), forwarding an item up (上报) and syncing its adoption and instructions back down."""
