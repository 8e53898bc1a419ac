"""`python -m lib …`: see lib/cli.py."""
import sys

from .cli import main

sys.exit(main())
