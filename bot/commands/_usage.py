"""What every CLI subcommand means by bad input: a `UsageError` whose message is printed
as one `error: ...` line, and exit code 2 (argparse's own code for a usage error)."""

from __future__ import annotations

EXIT_BAD_INPUT = 2


class UsageError(ValueError):
    """Bad command-line input; the message is printed as is."""
