"""`tradebot` subcommands; see bot/cli.py for the plug-in contract."""
