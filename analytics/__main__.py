"""`python -m analytics COMMAND`."""

from analytics.cli import main

raise SystemExit(main())
