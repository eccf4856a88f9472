"""`python -m bot` is the same as the `tradebot` console script."""

from bot.cli import main

raise SystemExit(main())
