"""Run the mlkit command line: ``python -m mlkit``."""

from mlkit.cli import main

if __name__ == "__main__":
    main()
