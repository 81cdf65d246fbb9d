"""plandiff: compare subordinate plans with the plan they implement."""
__version__ = "0.1.0"
