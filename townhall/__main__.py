import sys

from townhall.cli import main

# The guard matters: triage worker processes are spawned, and a spawned process
# imports the main module again.
if __name__ == "__main__":
    sys.exit(main())
