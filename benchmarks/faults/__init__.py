"""The parts of benchmarks/load_and_faults.py, which keeps only the set-up and main (see the README)."""
