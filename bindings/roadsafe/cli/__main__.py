"""`python -m roadsafe.cli`: the `roadsafe` command without its console script."""
import sys

from .main import main

sys.exit(main())
