"""One lifecycle mechanism for every record kind that moves through states (agreements, exercises …).

A record kind declares its lifecycle once, as data (`table.Lifecycle`); the rest is shared: the
service that takes a step (`services.step`), its form, its page view, its API action and the
panel template. How a new kind joins: engagements/README.md, "Lifecycles".
"""
