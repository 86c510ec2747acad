"""Reference data shared by every dataset: code lists, areas, forces, time intervals."""
