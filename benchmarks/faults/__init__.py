"""Parts of benchmarks/load_and_faults.py that are not scenarios: the load and the big newsletter."""
