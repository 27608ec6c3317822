"""perftab: budget performance target tables (绩效目标表) to canonical Parquet/CSV."""

__version__ = "0.1.0"
