"""One sub-package per secretariat process; shared Viewflow node types live in ``nodes``."""
