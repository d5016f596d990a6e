"""Demo cables for `seed_demo`."""


def seed_cables(post) -> None:
    """Released cables for past weeks and a draft for the current one (filled in with the cable work)."""
