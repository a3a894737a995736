"""The national-scale benchmark, `make benchmark`: served pages and commands beside
their floors on 1,000,000 scores. The entry point is benchmarks/national_scale.py."""
